#include "salesforce/api.hpp"

#include <cstdlib>

#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/seed.hpp"

namespace sandbox::salesforce {
namespace {

constexpr int kOldestVersion = 31;  // 21.0-30.0 retired Summer '25 (reference §2.2)
constexpr int kNewestVersion = 66;

// Path segments of the raw target, each percent-decoded on its own so an encoded '/' inside an
// external-id value stays inside its segment. Empty segments (trailing slashes) are dropped.
std::vector<std::string> split_segments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  while (!target.empty()) {
    const auto slash = target.find('/');
    const std::string_view part = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
    if (part.empty()) continue;
    auto decoded = http::percent_decode(part, false);
    segments.push_back(decoded ? *decoded : std::string(part));
  }
  return segments;
}

std::optional<std::string> bearer_token(const http::Request& request) {
  const auto authorization = request.header("authorization");
  if (!authorization) return std::nullopt;
  for (const std::string_view scheme : {"Bearer ", "OAuth "}) {
    if (authorization->starts_with(scheme))
      return std::string(authorization->substr(scheme.size()));
  }
  return std::nullopt;
}

CallKind classify(const std::vector<std::string>& rest) {
  if (rest.empty()) return CallKind::Other;
  const std::string& head = rest[0];
  if (head == "query" || head == "queryAll") return CallKind::Query;
  if (head == "sobjects") {
    if (rest.size() <= 1 || (rest.size() == 3 && rest[2] == "describe")) return CallKind::Describe;
    return CallKind::Sobject;
  }
  if (head == "composite")
    return rest.size() >= 2 && rest[1] == "sobjects" ? CallKind::Collections : CallKind::Composite;
  if (head == "jobs") return CallKind::Bulk;
  return CallKind::Other;
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

  const std::string& version_segment = segments[2];
  const bool shaped =
      version_segment.size() >= 4 && version_segment[0] == 'v' && version_segment.ends_with(".0");
  const int major = shaped ? std::atoi(version_segment.c_str() + 1) : 0;
  if (major == 0) return not_found();
  if (major < kOldestVersion)
    return error_response(410, "GONE", "The requested resource no longer exists");
  if (major > kNewestVersion) return not_found();

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
  if (org_.api_usage >= org_.options.daily_limit) {
    return limit_header(
        error_response(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
  }
  ++org_.api_usage;
  ++org_.calls[static_cast<std::size_t>(classify(rest))];

  const ApiRequest api{request, version_segment.substr(1), rest};
  if (rest.empty()) return limit_header(handle_resources(api));
  const std::string& head = rest[0];
  if (head == "limits" && rest.size() == 1) return limit_header(handle_limits(org_));
  if (head == "query" || head == "queryAll") {
    if (rest.size() == 1) return limit_header(handle_query(org_, api, head == "queryAll"));
    if (rest.size() == 2) return limit_header(handle_query_more(org_, api, rest[1]));
  }
  if (head == "sobjects") {
    if (rest.size() == 1) return limit_header(handle_sobject_list(org_, api));
    if (rest.size() == 3 && rest[2] == "describe") {
      const ObjectDef* object = org_.schema.find(rest[1]);
      return limit_header(object != nullptr ? handle_describe(org_, api, *object) : not_found());
    }
    return limit_header(handle_sobject(org_, api));
  }
  if (head == "composite" && rest.size() >= 2 && rest[1] == "sobjects") {
    return limit_header(handle_collections(org_, api));
  }
  return limit_header(not_found());
}

http::Response SalesforceApi::route_hooks(const http::Request& request) {
  const auto segments = split_segments(request.target);
  const std::string hook = segments.size() >= 2 ? segments[1] : "";
  if (hook == "stats" && segments.size() == 2) {
    json::Writer out;
    out.begin_object();
    out.key("calls").begin_object();
    std::uint64_t total = 0;
    for (std::size_t kind = 0; kind < kCallKinds; ++kind) {
      out.field(call_kind_name(static_cast<CallKind>(kind)),
                static_cast<std::int64_t>(org_.calls[kind]));
      total += org_.calls[kind];
    }
    out.end_object();
    out.field("total", static_cast<std::int64_t>(total));
    out.field("apiUsage", org_.api_usage);
    out.field("dailyLimit", org_.options.daily_limit);
    out.end_object();
    return http::Response::json(200, out.take());
  }
  if (hook == "export" && segments.size() == 3) {
    const ObjectDef* object = org_.schema.find(segments[2]);
    if (object == nullptr) return not_found();
    const bool with_deleted = request.query_param("deleted").value_or("") == "true";
    std::string body = "[";
    for (const Record* record : org_.store.records_of(*object)) {
      if (record->deleted && !with_deleted) continue;
      if (body.size() > 1) body += ",";
      body += record_json(*record, "66.0");
    }
    body += "]";
    return http::Response::json(200, body);
  }
  if (hook == "reset" && segments.size() == 2 && request.method == "POST") {
    org_.reset();
    if (seed_dir_) load_seed(org_, *seed_dir_);
    return http::Response::json(200, R"({"reset":true})");
  }
  return not_found();
}

}  // namespace sandbox::salesforce
