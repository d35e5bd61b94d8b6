// Internal: the request handlers of the Salesforce API, one file per resource family. api.cpp
// routes to them with the org mutex held and the session already checked.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "json/json_writer.hpp"
#include "salesforce/org.hpp"

namespace sandbox::salesforce {

struct ApiRequest {
  const http::Request& http;
  std::string version;                // "66.0"
  std::vector<std::string> segments;  // path segments after /services/data/vNN.N/
};

// Path segments of a raw target, each percent-decoded; empty segments are dropped.
std::vector<std::string> split_segments(std::string_view target);
// 404 / 410 for a version segment ("v66.0") the org does not serve.
std::optional<http::Response> check_version(const std::string& segment);
// The /__sandbox/stats kind of a data call.
CallKind classify(const std::vector<std::string>& rest);
// Routes a data request (session checked, call counted) to its handler.
http::Response dispatch_data(Org& org, const ApiRequest& request);

// Parses a JSON request body; std::nullopt and a JSON_PARSER_ERROR response on failure.
std::optional<simdjson::dom::element> parse_json_body(simdjson::dom::parser& parser,
                                                      const http::Request& request,
                                                      http::Response& error);
// The canonical record JSON of GET /sobjects/T/id (all fields, or the listed ones).
std::string record_json(const Record& record, const std::string& version,
                        const std::vector<const FieldDef*>* only_fields = nullptr);

http::Response handle_token(Org& org, const http::Request& request);
http::Response handle_versions();
http::Response handle_resources(const ApiRequest& request);
http::Response handle_limits(Org& org);
http::Response handle_sobject_list(Org& org, const ApiRequest& request);
http::Response handle_describe(Org& org, const ApiRequest& request, const ObjectDef& object);
http::Response handle_query(Org& org, const ApiRequest& request, bool include_deleted);
http::Response handle_query_more(Org& org, const ApiRequest& request, const std::string& locator);
http::Response handle_sobject(Org& org, const ApiRequest& request);
http::Response handle_collections(Org& org, const ApiRequest& request);
http::Response handle_composite(Org& org, const ApiRequest& request);
http::Response handle_composite_batch(Org& org, const ApiRequest& request);
http::Response handle_bulk_ingest(Org& org, const ApiRequest& request);
http::Response handle_bulk_query(Org& org, const ApiRequest& request);
// The /__sandbox/ test hooks.
http::Response handle_hook(Org& org, const http::Request& request,
                           const std::optional<std::string>& seed_dir);

}  // namespace sandbox::salesforce

namespace sandbox::salesforce {

// Live records of `object` whose `field` equals `value` (case-insensitive for text, canonical
// for ids): the matches of an upsert or a GET by external id.
std::vector<Record*> find_by_field(Org& org, const ObjectDef& object, const FieldDef& field,
                                   const std::string& value);
// The field usable as an upsert key (externalId or idLookup), or nullptr.
const FieldDef* upsert_key(const ObjectDef& object, const std::string& name);
// {"id":...,"success":true,"errors":[]} (+ "created" for upserts).
void write_success(json::Writer& out, const std::string& id, std::optional<bool> created);

}  // namespace sandbox::salesforce
