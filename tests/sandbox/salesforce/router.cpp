// Routes one /services/data/vNN.0/... request to its handler. Used for requests from the wire
// (after api.cpp has checked the session, counted the call and drawn faults) and for composite
// subrequests, which run inside their parent call.
#include <cstdlib>

#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"

namespace sandbox::salesforce {

std::vector<std::string> split_segments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  while (!target.empty()) {
    const auto slash = target.find('/');
    const std::string_view part = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
    if (part.empty()) continue;
    // Each segment is decoded on its own, so an encoded '/' in an external id stays inside it.
    auto decoded = http::percent_decode(part, false);
    segments.push_back(decoded ? *decoded : std::string(part));
  }
  return segments;
}

std::optional<http::Response> check_version(const std::string& segment) {
  constexpr int kOldestVersion = 31;  // 21.0-30.0 retired Summer '25 (reference §2.2)
  constexpr int kNewestVersion = 66;
  const bool shaped = segment.size() >= 4 && segment[0] == 'v' && segment.ends_with(".0");
  const int major = shaped ? std::atoi(segment.c_str() + 1) : 0;
  if (major == 0) return not_found();
  if (major < kOldestVersion)
    return error_response(410, "GONE", "The requested resource no longer exists");
  if (major > kNewestVersion) return not_found();
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

http::Response dispatch_data(Org& org, const ApiRequest& api) {
  const auto& rest = api.segments;
  if (rest.empty()) return handle_resources(api);
  const std::string& head = rest[0];
  if (head == "limits" && rest.size() == 1) return handle_limits(org);
  if (head == "query" || head == "queryAll") {
    if (rest.size() == 1) return handle_query(org, api, head == "queryAll");
    if (rest.size() == 2) return handle_query_more(org, api, rest[1]);
  }
  if (head == "sobjects") {
    if (rest.size() == 1) return handle_sobject_list(org, api);
    if (rest.size() == 3 && rest[2] == "describe") {
      const ObjectDef* object = org.schema.find(rest[1]);
      return object != nullptr ? handle_describe(org, api, *object) : not_found();
    }
    return handle_sobject(org, api);
  }
  if (head == "composite") {
    if (rest.size() >= 2 && rest[1] == "sobjects") return handle_collections(org, api);
    if (rest.size() == 1) return handle_composite(org, api);
    if (rest.size() == 2 && rest[1] == "batch") return handle_composite_batch(org, api);
  }
  if (head == "jobs" && rest.size() >= 2) {
    if (rest[1] == "ingest") return handle_bulk_ingest(org, api);
    if (rest[1] == "query") return handle_bulk_query(org, api);
  }
  return not_found();
}

}  // namespace sandbox::salesforce
