#include "connectors/http/http_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>
#include <thread>

#include "core/error.hpp"
#include "core/logging/redaction.hpp"

namespace crmsync::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x))
                  == std::tolower(static_cast<unsigned char>(y));
         });
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Room made for a body of the announced length, up to this much: a 13 MB Bulk result grown by
// doubling was copied once more in all and touched twice the memory. A larger body, or one
// without a length, grows as it comes.
constexpr std::size_t kMostBodyReservedAhead = 64u << 20;

std::size_t write_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& response = *static_cast<Response*>(user);
  auto* headers = &response.headers;
  std::string_view line(data, size * count);
  // A new status line (after a redirect or 100 Continue) starts a new header block.
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  std::size_t length = 0;
  const auto& [name, text] = headers->back();
  if (iequals(name, "Content-Length")
      && std::from_chars(text.data(), text.data() + text.size(), length).ec == std::errc()
      && length <= kMostBodyReservedAhead)
    response.body.reserve(length);
  return size * count;
}

// Network failures that happen before any byte of the request could reach the server.
bool never_reached_server(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST
         || code == CURLE_COULDNT_RESOLVE_PROXY;
}

ErrorCategory category_of_curl(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return ErrorCategory::transient;
    default:
      // TLS verification failures, bad URLs, unsupported protocols: retrying cannot help.
      return ErrorCategory::permanent;
  }
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return std::string_view(value);
  return std::nullopt;
}

HttpClient::HttpClient(ClientSettings settings, Sleeper sleeper)
    : settings_(std::move(settings)),
      sleeper_(sleeper ? std::move(sleeper) : Sleeper([](std::chrono::milliseconds d) {
        std::this_thread::sleep_for(d);
      })),
      retry_(settings_.retry),
      limiter_(settings_.requests_per_second, std::max(1.0, settings_.requests_per_second)) {
  static CurlGlobal global;
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw Error(ErrorCategory::permanent, "libcurl could not start");
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(curl_);
}

HttpClient::Attempt HttpClient::perform(const Request& request) {
  Attempt attempt;
  Response response;
  curl_easy_reset(curl_);  // keeps the connection cache: keep-alive survives
  curl_easy_setopt(curl_, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.ca_file.empty())
    curl_easy_setopt(curl_, CURLOPT_CAINFO, settings_.ca_file.c_str());
  if (!settings_.proxy.empty()) curl_easy_setopt(curl_, CURLOPT_PROXY, settings_.proxy.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(settings_.connect_timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.request_timeout.count()));
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, settings_.user_agent.c_str());
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH"
      || request.method == "PUT") {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
  }
  curl_slist* header_list = nullptr;
  // libcurl sends "Expect: 100-continue" for large bodies and waits for it; APIs do not need it.
  header_list = curl_slist_append(header_list, "Expect:");
  for (const auto& [name, value] : request.headers)
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response);
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error);

  attempt.code = curl_easy_perform(curl_);
  curl_slist_free_all(header_list);
  if (attempt.code != CURLE_OK) {
    attempt.error = error[0] != '\0' ? error : curl_easy_strerror(attempt.code);
    return attempt;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
  attempt.response = std::move(response);
  return attempt;
}

Response HttpClient::send(const Request& request) {
  const auto started = std::chrono::steady_clock::now();
  for (int attempt_number = 1;; ++attempt_number) {
    limiter_.acquire();
    ++stats_.requests;
    spdlog::debug("http → {} {}", request.method, redact(request.url));
    auto attempt = perform(request);

    AttemptFailure failure;
    if (attempt.response) {
      const long status = attempt.response->status;
      spdlog::debug("http ← {} {} {} ({} bytes)", status, request.method, redact(request.url),
                    attempt.response->body.size());
      if (category_of_status(status) != ErrorCategory::transient || status < 400) {
        attempt.response->attempts = attempt_number;
        attempt.response->elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        return std::move(*attempt.response);
      }
      failure.category = ErrorCategory::transient;
      if (auto value = attempt.response->header("Retry-After"))
        failure.retry_after = parse_retry_after(*value, std::chrono::system_clock::now());
    } else {
      failure.category = category_of_curl(attempt.code);
      failure.reached_server = !never_reached_server(attempt.code);
      spdlog::debug("http ✗ {} {}: {}", request.method, redact(request.url), attempt.error);
    }

    const auto delay = retry_.delay_before_retry(attempt_number, request.idempotent, failure);
    if (!delay) {
      if (attempt.response) {  // a transient status we may not or need not retry further
        attempt.response->attempts = attempt_number;
        attempt.response->elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        return std::move(*attempt.response);
      }
      throw Error(failure.category, request.method + " " + redact(request.url) + " failed after "
                                        + std::to_string(attempt_number) + " attempt"
                                        + (attempt_number == 1 ? "" : "s") + ": " + attempt.error);
    }
    ++stats_.retries;
    spdlog::info("http: retrying {} {} in {} ms (attempt {} of {})", request.method,
                 redact(request.url), delay->count(), attempt_number + 1,
                 retry_.settings().max_attempts);
    sleeper_(*delay);
  }
}

}  // namespace crmsync::http
