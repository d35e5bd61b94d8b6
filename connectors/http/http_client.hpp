// connectors/http/http_client.hpp — the one HTTP client every connector uses (libcurl): one
// reused connection (keep-alive; HTTP/2 when the server offers it over TLS), TLS verification
// always on, proxy from config or HTTPS_PROXY/NO_PROXY, gzip, timeouts, a rate limit, and retries
// per RetryPolicy. Every request and response is logged at debug level through the redactor.
// One client per thread: a libcurl easy handle is not shared.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "connectors/http/rate_limiter.hpp"
#include "connectors/http/retry_policy.hpp"

namespace crmsync::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  // Safe to send twice: GET/PUT/DELETE, or a write keyed so the server de-duplicates it (upsert
  // by external id). POST creates are not, and are retried only if they never left this machine.
  bool idempotent = false;
};

struct Response {
  long status = 0;
  Headers headers;  // names as received; look up with header()
  std::string body;
  int attempts = 1;
  std::chrono::milliseconds elapsed{0};

  std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive
};

struct ClientSettings {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{120'000};
  std::string ca_file;  // empty: the system's CA bundle
  std::string proxy;    // empty: libcurl reads HTTPS_PROXY / NO_PROXY
  std::string user_agent = "crmsync";
  double requests_per_second = 0;  // 0: unlimited
  RetrySettings retry;
};

struct ClientStats {
  int requests = 0;  // attempts actually sent, retries included
  int retries = 0;
};

class HttpClient {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;

  explicit HttpClient(ClientSettings settings, Sleeper sleeper = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends, retrying what RetryPolicy allows, and returns the final response whatever its status
  // (the caller reads API error bodies). Throws crmsync::Error when no response came at all:
  // transient for network failures, permanent for TLS verification and protocol errors.
  Response send(const Request& request);

  const ClientStats& stats() const { return stats_; }

 private:
  struct Attempt {
    std::optional<Response> response;
    CURLcode code = CURLE_OK;
    std::string error;
  };
  Attempt perform(const Request& request);

  ClientSettings settings_;
  Sleeper sleeper_;
  RetryPolicy retry_;
  RateLimiter limiter_;
  CURL* curl_ = nullptr;
  ClientStats stats_;
};

}  // namespace crmsync::http
