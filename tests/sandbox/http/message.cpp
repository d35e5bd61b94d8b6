#include "http/message.hpp"

#include <algorithm>
#include <cctype>

namespace sandbox::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x))
                  == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

Response Response::json(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json;charset=UTF-8";
  response.body = std::move(body);
  return response;
}

Response Response::text(int status, std::string content_type, std::string body) {
  Response response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Response Response::empty(int status) {
  Response response;
  response.status = status;
  return response;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

NameValues parse_query_string(std::string_view text) {
  NameValues pairs;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view part = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    const auto name = percent_decode(part.substr(0, eq), true);
    const auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                    : percent_decode(part.substr(eq + 1), true);
    if (name && value) pairs.emplace_back(*name, *value);
  }
  return pairs;
}

bool split_target(Request& request) {
  const std::string_view target = request.target;
  const auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return false;
  request.path = std::move(*path);
  if (question != std::string_view::npos)
    request.query = parse_query_string(target.substr(question + 1));
  return true;
}

}  // namespace sandbox::http
