// Composite (POST /composite: up to 25 subrequests, referenceId, @{ref.field} references,
// allOrNone) and composite batch (POST /composite/batch: independent subrequests, haltOnError),
// reference §5.7. Subrequests run through the same router as calls from the wire.
#include <exception>
#include <map>

#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"

namespace sandbox::salesforce {
namespace {

constexpr std::size_t kMaxSubrequests = 25;
constexpr const char* kRolledBackMessage =
    "The transaction was rolled back since another operation in the same transaction failed.";

http::Response too_many_subrequests() {
  return error_response(400, "LIMIT_EXCEEDED",
                        "Limit Exceeded: Maximum number of subrequests allowed is 25");
}

http::Response post_only(const ApiRequest& request) {
  return error_response(405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + request.http.method + "' not allowed. Allowed are POST");
}

struct SubResult {
  int status = 0;
  std::string body;  // JSON text; empty for 204
  std::string location;
};

// Runs one subrequest against the router. `url` must be /services/data/vNN.0/...
SubResult run_subrequest(Org& org, const ApiRequest& parent, const std::string& method,
                         const std::string& url, const std::string& body,
                         const http::NameValues& extra_headers) {
  http::Request sub;
  sub.method = method;
  sub.target = url;
  sub.body = body;
  if (!body.empty()) sub.headers.emplace_back("content-type", "application/json");
  for (const auto& [name, value] : extra_headers)
    sub.headers.emplace_back(lower(name), value);
  // The duplicate-rule header of the parent call applies to its subrequests too.
  if (const auto rule = parent.http.header("sforce-duplicate-rule-header"))
    sub.headers.emplace_back("sforce-duplicate-rule-header", std::string(*rule));
  SubResult result;
  const auto segments = split_segments(url);
  http::Response response;
  if (!http::split_target(sub) || segments.size() < 3 || segments[0] != "services"
      || segments[1] != "data") {
    response = not_found();
  } else if (auto refused = check_version(segments[2])) {
    response = *refused;
  } else if (segments.size() >= 4 && segments[3] == "composite"
             && (segments.size() == 4 || segments[4] == "batch")) {
    response = error_response(400, "INVALID_API_INPUT", "Composite requests cannot be nested");
  } else {
    const ApiRequest api{sub, segments[2].substr(1),
                         std::vector<std::string>(segments.begin() + 3, segments.end())};
    // A failing subrequest must not escape with an allOrNone transaction still open.
    try {
      response = dispatch_data(org, api);
    } catch (const std::exception&) {
      response = error_response(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred.");
    }
  }
  result.status = response.status;
  result.body = std::move(response.body);
  if (result.status == 201 && !result.body.empty()) {
    simdjson::dom::parser parser;
    std::string_view id;
    if (parser.parse(result.body).at_key("id").get_string().get(id) == simdjson::SUCCESS) {
      result.location = std::string(url.substr(0, url.find('?'))) + "/" + std::string(id);
    }
  }
  return result;
}

// Resolves "ref.id", "ref.records[0].Id" against the JSON bodies of earlier subrequests.
std::optional<std::string> resolve_reference(const std::map<std::string, SubResult>& done,
                                             std::string_view expression) {
  const auto dot = expression.find_first_of(".[");
  const std::string ref(expression.substr(0, dot));
  const auto it = done.find(ref);
  if (it == done.end() || it->second.status >= 400 || it->second.body.empty()) return std::nullopt;
  std::string pointer;
  std::string_view path = dot == std::string_view::npos ? "" : expression.substr(dot);
  while (!path.empty()) {
    if (path.front() == '.') {
      path.remove_prefix(1);
      const auto end = path.find_first_of(".[");
      pointer += "/" + std::string(path.substr(0, end));
      path = end == std::string_view::npos ? "" : path.substr(end);
    } else if (path.front() == '[') {
      const auto close = path.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      pointer += "/" + std::string(path.substr(1, close - 1));
      path.remove_prefix(close + 1);
    } else {
      return std::nullopt;
    }
  }
  simdjson::dom::parser parser;
  simdjson::dom::element value;
  if (parser.parse(it->second.body).at_pointer(pointer).get(value) != simdjson::SUCCESS)
    return std::nullopt;
  if (value.is_string()) return std::string(value.get_string().value());
  return simdjson::to_string(value);
}

// Replaces every @{expression}; the first unresolvable expression is returned in `missing`.
std::string substitute(const std::map<std::string, SubResult>& done, std::string_view text,
                       std::string& missing) {
  std::string out;
  while (!text.empty()) {
    const auto open = text.find("@{");
    const auto close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, open);
    const std::string_view expression = text.substr(open + 2, close - open - 2);
    if (auto value = resolve_reference(done, expression)) {
      out += *value;
    } else if (missing.empty()) {
      missing = std::string(expression);
    }
    text.remove_prefix(close + 1);
  }
  return out;
}

http::Response reference_error(const std::string& expression) {
  const std::string ref = expression.substr(0, expression.find_first_of(".["));
  return error_response(400, "PROCESSING_HALTED",
                        "Invalid reference specified. No value for " + expression + " found in "
                            + ref + ". Provided referenceId ('" + ref
                            + "') must be valid and the referenced subrequest must succeed.");
}

void write_item(json::Writer& out, const std::string& reference_id, const SubResult& result) {
  out.begin_object();
  out.key("body");
  result.body.empty() ? void(out.null()) : void(out.raw(result.body));
  out.key("httpHeaders").begin_object();
  if (!result.location.empty()) out.field("Location", result.location);
  out.end_object();
  out.field("httpStatusCode", result.status);
  out.field("referenceId", reference_id);
  out.end_object();
}

}  // namespace

http::Response handle_composite(Org& org, const ApiRequest& request) {
  if (request.http.method != "POST") return post_only(request);
  simdjson::dom::parser parser;
  http::Response failure;
  const auto root = parse_json_body(parser, request.http, failure);
  if (!root) return failure;
  simdjson::dom::array subrequests;
  if (root->at_key("compositeRequest").get_array().get(subrequests) != simdjson::SUCCESS) {
    return json_parser_error(
        "Cannot deserialize instance of CompositeRequest: compositeRequest "
        "is required and must be an array");
  }
  if (subrequests.size() > kMaxSubrequests) return too_many_subrequests();
  bool all_or_none = false;
  if (root->at_key("allOrNone").get_bool().get(all_or_none) != simdjson::SUCCESS)
    all_or_none = false;

  struct Planned {
    std::string method, url, reference_id, body;
    http::NameValues headers;
  };
  std::vector<Planned> planned;
  for (auto element : subrequests) {
    Planned item;
    std::string_view text;
    if (element["method"].get_string().get(text) != simdjson::SUCCESS)
      return json_parser_error("Required field is missing: method");
    item.method = std::string(text);
    if (element["url"].get_string().get(text) != simdjson::SUCCESS)
      return json_parser_error("Required field is missing: url");
    item.url = std::string(text);
    if (element["referenceId"].get_string().get(text) != simdjson::SUCCESS)
      return json_parser_error("Required field is missing: referenceId");
    item.reference_id = std::string(text);
    for (const auto& other : planned) {
      if (other.reference_id == item.reference_id) {
        return error_response(
            400, "INVALID_INPUT",
            "Duplicate referenceId provided in the request: " + item.reference_id);
      }
    }
    simdjson::dom::element body;
    if (element["body"].get(body) == simdjson::SUCCESS && !body.is_null())
      item.body = simdjson::to_string(body);
    simdjson::dom::object headers;
    if (element["httpHeaders"].get_object().get(headers) == simdjson::SUCCESS) {
      for (auto [name, value] : headers) {
        std::string_view header_value;
        if (value.get_string().get(header_value) == simdjson::SUCCESS)
          item.headers.emplace_back(std::string(name), std::string(header_value));
      }
    }
    planned.push_back(std::move(item));
  }

  std::map<std::string, SubResult> done;
  std::vector<SubResult> results(planned.size());
  std::optional<std::size_t> failed_at;
  if (all_or_none) org.store.begin_undoable();
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const Planned& item = planned[i];
    std::string missing;
    const std::string url = substitute(done, item.url, missing);
    const std::string body = substitute(done, item.body, missing);
    if (!missing.empty()) {
      const http::Response error = reference_error(missing);
      results[i] = SubResult{error.status, error.body, ""};
    } else {
      results[i] = run_subrequest(org, request, item.method, url, body, item.headers);
    }
    done[item.reference_id] = results[i];
    if (all_or_none && results[i].status >= 400) {
      failed_at = i;
      break;
    }
  }
  if (all_or_none) org.store.end_undoable(!failed_at);

  json::Writer out;
  out.begin_object();
  out.key("compositeResponse").begin_array();
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (failed_at && i != *failed_at) {
      const http::Response halted = error_response(400, "PROCESSING_HALTED", kRolledBackMessage);
      write_item(out, planned[i].reference_id, SubResult{400, halted.body, ""});
    } else {
      write_item(out, planned[i].reference_id, results[i]);
    }
  }
  out.end_array();
  out.end_object();
  return http::Response::json(200, out.take());
}

http::Response handle_composite_batch(Org& org, const ApiRequest& request) {
  if (request.http.method != "POST") return post_only(request);
  simdjson::dom::parser parser;
  http::Response failure;
  const auto root = parse_json_body(parser, request.http, failure);
  if (!root) return failure;
  simdjson::dom::array subrequests;
  if (root->at_key("batchRequests").get_array().get(subrequests) != simdjson::SUCCESS) {
    return json_parser_error(
        "Cannot deserialize instance of BatchRequest: batchRequests is "
        "required and must be an array");
  }
  if (subrequests.size() > kMaxSubrequests) return too_many_subrequests();
  bool halt_on_error = false;
  if (root->at_key("haltOnError").get_bool().get(halt_on_error) != simdjson::SUCCESS)
    halt_on_error = false;
  // Each subrequest of a batch counts as one API request (reference §10); the batch call itself
  // was counted on arrival.
  if (subrequests.size() > 1) org.api_usage += static_cast<std::int64_t>(subrequests.size() - 1);

  bool has_errors = false;
  bool halted = false;
  json::Writer out;
  out.begin_array();
  for (auto element : subrequests) {
    SubResult result;
    std::string_view method;
    std::string_view url;
    if (halted) {
      result.status = 412;
      result.body = R"([{"errorCode":"BATCH_PROCESSING_HALTED","message":"Batch processing )"
                    R"(halted per request"}])";
    } else if (element["method"].get_string().get(method) != simdjson::SUCCESS
               || element["url"].get_string().get(url) != simdjson::SUCCESS) {
      result.status = 400;
      result.body = error_response(400, "INVALID_API_INPUT", "method and url are required").body;
    } else {
      // Batch urls are relative to /services/data/ ("v66.0/sobjects/...").
      std::string full(url);
      if (!full.starts_with("/services/data/"))
        full = "/services/data/" + std::string(full.starts_with("/") ? full.substr(1) : full);
      simdjson::dom::element input;
      std::string body;
      if (element["richInput"].get(input) == simdjson::SUCCESS && !input.is_null())
        body = simdjson::to_string(input);
      result = run_subrequest(org, request, std::string(method), full, body, {});
    }
    if (result.status >= 400) {
      has_errors = true;
      halted = halted || halt_on_error;
    }
    out.begin_object();
    out.field("statusCode", result.status);
    out.key("result");
    result.body.empty() ? void(out.null()) : void(out.raw(result.body));
    out.end_object();
  }
  out.end_array();
  json::Writer reply;
  reply.begin_object();
  reply.field("hasErrors", has_errors);
  reply.key("results").raw(out.str());
  reply.end_object();
  return http::Response::json(200, reply.take());
}

}  // namespace sandbox::salesforce
