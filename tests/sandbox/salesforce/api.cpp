#include "salesforce/api.hpp"

#include <cstdint>

#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/seed.hpp"

namespace sandbox::salesforce {
namespace {

std::optional<std::string> bearer_token(const http::Request& request) {
  const auto authorization = request.header("authorization");
  if (!authorization) return std::nullopt;
  for (const std::string_view scheme : {"Bearer ", "OAuth "}) {
    if (authorization->starts_with(scheme))
      return std::string(authorization->substr(scheme.size()));
  }
  return std::nullopt;
}

// The org's 500 body carries an ErrorId to quote to support (reference §7.2).
http::Response unknown_exception(std::uint64_t serial) {
  return error_response(500, "UNKNOWN_EXCEPTION",
                        "An unexpected error occurred. Please include this ErrorId if you "
                        "contact support: "
                            + std::to_string(1000000000 + serial % 999999999) + "-"
                            + std::to_string(10000 + serial % 89999) + " (-"
                            + std::to_string(1000000000 + (serial * 7919) % 999999999) + ")");
}

}  // namespace

std::optional<simdjson::dom::element> parse_json_body(simdjson::dom::parser& parser,
                                                      const http::Request& request,
                                                      http::Response& error) {
  const auto type = request.header("content-type");
  if (!type || type->find("json") == std::string_view::npos) {
    error = error_response(415, "UNSUPPORTED_MEDIA_TYPE",
                           "Content type '" + std::string(type.value_or(""))
                               + "' not supported; use application/json");
    return std::nullopt;
  }
  simdjson::dom::element root;
  const auto code = parser.parse(request.body).get(root);
  if (code != simdjson::SUCCESS) {
    error = json_parser_error(std::string("Unexpected character in JSON body: ")
                              + simdjson::error_message(code));
    return std::nullopt;
  }
  return root;
}

SalesforceApi::SalesforceApi(Schema schema, OrgOptions options, std::optional<std::string> seed_dir)
    : org_(std::move(schema), std::move(options)), seed_dir_(std::move(seed_dir)) {
  if (seed_dir_) load_seed(org_, *seed_dir_);
}

void SalesforceApi::set_instance_url(const std::string& url) {
  std::lock_guard lock(org_.mutex);
  org_.options.instance_url = url;
}

void SalesforceApi::configure_faults(const FaultSpec& spec) {
  std::lock_guard lock(org_.mutex);
  org_.faults.configure(spec);
}

void SalesforceApi::configure_duplicate_rule(const DuplicateRule& rule) {
  std::lock_guard lock(org_.mutex);
  org_.duplicate_rule = rule;
}

bool SalesforceApi::owns(const std::string& path) {
  return path.starts_with("/services/") || path.starts_with("/__sandbox/");
}

http::Response SalesforceApi::handle(const http::Request& request) {
  std::lock_guard lock(org_.mutex);
  if (request.path.starts_with("/__sandbox/")) return route_hooks(request);
  if (request.path == "/services/oauth2/token") {
    ++org_.calls[static_cast<std::size_t>(CallKind::Token)];
    return handle_token(org_, request);
  }
  return route_data(request);
}

http::Response SalesforceApi::route_data(const http::Request& request) {
  const auto segments = split_segments(request.target);
  if (segments.size() < 2 || segments[0] != "services" || segments[1] != "data") return not_found();
  if (segments.size() == 2) return handle_versions();  // no auth, not counted (reference §2.1)
  if (auto refused = check_version(segments[2])) return *refused;

  const auto token = bearer_token(request);
  const auto session = token ? org_.sessions.find(*token) : org_.sessions.end();
  if (session == org_.sessions.end()) return invalid_session();
  if (session->second.expires <= std::chrono::steady_clock::now()) {
    org_.sessions.erase(session);
    return invalid_session();
  }

  const std::vector<std::string> rest(segments.begin() + 3, segments.end());
  const auto limit_header = [this](http::Response response) {
    response.headers.emplace_back("Sforce-Limit-Info",
                                  "api-usage=" + std::to_string(org_.api_usage) + "/"
                                      + std::to_string(org_.options.daily_limit));
    return response;
  };
  // Faults are drawn before the call does anything, so a failed call never half-applies.
  const auto fault = org_.faults.draw_call();
  if (fault == FaultKind::Reset) {
    http::Response dropped;
    dropped.reset_connection = true;
    return dropped;
  }
  if (fault == FaultKind::RequestLimit || org_.api_usage >= org_.options.daily_limit) {
    return limit_header(
        error_response(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
  }
  ++org_.api_usage;
  ++org_.calls[static_cast<std::size_t>(classify(rest))];
  if (fault == FaultKind::ServerError) return limit_header(unknown_exception(org_.next_secret++));
  if (fault == FaultKind::Unavailable) {
    return limit_header(error_response(
        503, "SERVER_UNAVAILABLE", "Server is temporarily unavailable. Please try again later."));
  }
  // A revoked token still serves this call; the next call with it gets INVALID_SESSION_ID.
  if (fault == FaultKind::RevokeToken) session->second.expires = std::chrono::steady_clock::now();

  const ApiRequest api{request, segments[2].substr(1), rest};
  http::Response response = limit_header(dispatch_data(org_, api));
  if (fault == FaultKind::Slow) response.delay = org_.faults.spec().slow_delay;
  return response;
}

http::Response SalesforceApi::route_hooks(const http::Request& request) {
  return handle_hook(org_, request, seed_dir_);
}

}  // namespace sandbox::salesforce
