// The /__sandbox/ test hooks (README.md, "Test hooks"): stats, export, reset, faults and the
// duplicate rule. No auth, not counted, never subject to faults.
#include <stdexcept>

#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/seed.hpp"

namespace sandbox::salesforce {
namespace {

http::Response stats(Org& org) {
  json::Writer out;
  out.begin_object();
  out.key("calls").begin_object();
  std::uint64_t total = 0;
  for (std::size_t kind = 0; kind < kCallKinds; ++kind) {
    out.field(call_kind_name(static_cast<CallKind>(kind)),
              static_cast<std::int64_t>(org.calls[kind]));
    total += org.calls[kind];
  }
  out.end_object();
  out.field("total", static_cast<std::int64_t>(total));
  out.field("apiUsage", org.api_usage);
  out.field("dailyLimit", org.options.daily_limit);
  out.end_object();
  return http::Response::json(200, out.take());
}

http::Response export_records(Org& org, const http::Request& request, const std::string& name) {
  const ObjectDef* object = org.schema.find(name);
  if (object == nullptr) return not_found();
  const bool with_deleted = request.query_param("deleted").value_or("") == "true";
  std::string body = "[";
  for (const Record* record : org.store.records_of(*object)) {
    if (record->deleted && !with_deleted) continue;
    if (body.size() > 1) body += ",";
    body += record_json(*record, "66.0");
  }
  body += "]";
  return http::Response::json(200, body);
}

http::Response bad_hook_input(const std::string& message) {
  return error_response(400, "INVALID_HOOK_INPUT", message);
}

http::Response faults(Org& org, const http::Request& request) {
  if (request.method == "POST" || request.method == "PUT") {
    try {
      org.faults.configure(parse_fault_spec(request.body));
    } catch (const std::invalid_argument& error) {
      return bad_hook_input(error.what());
    }
  } else if (request.method == "DELETE") {
    org.faults.configure(FaultSpec{});
  } else if (request.method != "GET") {
    return error_response(405, "METHOD_NOT_ALLOWED", "Allowed are GET,POST,PUT,DELETE");
  }
  return http::Response::json(200, org.faults.to_json());
}

http::Response duplicate_rule(Org& org, const http::Request& request) {
  if (request.method == "POST" || request.method == "PUT") {
    try {
      org.duplicate_rule = parse_duplicate_rule(request.body);
    } catch (const std::invalid_argument& error) {
      return bad_hook_input(error.what());
    }
  } else if (request.method != "GET") {
    return error_response(405, "METHOD_NOT_ALLOWED", "Allowed are GET,POST,PUT");
  }
  return http::Response::json(200, duplicate_rule_json(org.duplicate_rule));
}

}  // namespace

http::Response handle_hook(Org& org, const http::Request& request,
                           const std::optional<std::string>& seed_dir) {
  const auto segments = split_segments(request.target);
  const std::string hook = segments.size() >= 2 ? segments[1] : "";
  if (hook == "stats" && segments.size() == 2) return stats(org);
  if (hook == "export" && segments.size() == 3) return export_records(org, request, segments[2]);
  if (hook == "reset" && segments.size() == 2 && request.method == "POST") {
    org.reset();
    if (seed_dir) load_seed(org, *seed_dir);
    return http::Response::json(200, R"({"reset":true})");
  }
  if (hook == "faults" && segments.size() == 2) return faults(org, request);
  if (hook == "duplicate-rule" && segments.size() == 2) return duplicate_rule(org, request);
  return not_found();
}

}  // namespace sandbox::salesforce
