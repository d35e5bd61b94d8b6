// Plain HTTP request/response structs shared by the sandbox's API modules. They keep Boost.Beast
// out of every translation unit except http/server.cpp, so API handlers compile fast.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sandbox::http {

using NameValues = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // upper case: GET, POST, PATCH, PUT, DELETE
  std::string target;  // as received, e.g. /services/data/v66.0/query?q=...
  std::string path;    // percent-decoded path without the query string
  NameValues query;    // decoded query parameters in order
  NameValues headers;  // names lower-cased
  std::string body;

  // Case-insensitive header lookup.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  [[nodiscard]] std::optional<std::string_view> query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header (e.g. 204)
  NameValues headers;
  std::string body;
  // Fault injection: drop the connection instead of answering.
  bool reset_connection = false;
  // Fault injection: answer only after this delay (a timer, so no server thread is blocked).
  std::chrono::milliseconds delay{0};

  static Response json(int status, std::string body);
  static Response text(int status, std::string content_type, std::string body);
  static Response empty(int status);
};

using Handler = std::function<Response(const Request&)>;

// Splits "a=b&c=d" into decoded pairs ('+' means space, as in form encoding).
NameValues parse_query_string(std::string_view text);
// Percent-decoding; returns std::nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);
// Fills path and query from target; false when the target cannot be decoded.
bool split_target(Request& request);

}  // namespace sandbox::http
