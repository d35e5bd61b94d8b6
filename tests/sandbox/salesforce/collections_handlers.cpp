// sObject Collections (reference §5.1-5.6): create, update, upsert, delete up to 200 records
// with per-record results in input order and allOrNone rollback; retrieve by ids.
#include <functional>
#include <set>

#include "json/json_writer.hpp"
#include "salesforce/duplicate_rule.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"
#include "salesforce/record_writer.hpp"

namespace sandbox::salesforce {
namespace {

constexpr std::size_t kMaxRecords = 200;

const ApiError kRolledBack{
    "ALL_OR_NONE_OPERATION_ROLLED_BACK",
    "Record rolled back because not all records were valid and the request was using "
    "AllOrNone header",
    {},
    true};

http::Response too_many() {
  return error_response(400, "EXCEEDED_ID_LIMIT",
                        "record limit reached. cannot submit more than 200 records into this call");
}

// One planned write: validated in the first pass, applied in the second.
struct Planned {
  std::optional<ApiError> error;
  const ObjectDef* object = nullptr;
  Record* existing = nullptr;  // update target; nullptr = create
  FieldChanges changes;
  std::string id;  // for delete
};

struct Outcome {
  std::string id;
  bool created = false;
};

// The record a write would lock: itself, else the parent Account, else the owner.
std::string locked_id(const Org& org, const Planned& plan) {
  if (plan.existing != nullptr) return plan.existing->id;
  if (!plan.id.empty()) return plan.id;
  const Value* account = plan.changes.find("AccountId");
  if (account != nullptr && std::holds_alternative<std::string>(*account))
    return std::get<std::string>(*account);
  return org.integration_user_id;
}

// Validates everything first so allOrNone can reject without having written anything.
http::Response finish(Org& org, const http::Request& request, std::vector<Planned>& plans,
                      bool all_or_none, bool upsert,
                      const std::function<Outcome(Planned&)>& apply) {
  for (auto& plan : plans) {
    if (plan.error || plan.object == nullptr) continue;
    const auto duplicates =
        refused_duplicates(org, *plan.object, plan.existing, plan.changes, &request);
    if (!duplicates.empty()) plan.error = duplicates_detected();
  }
  for (auto& plan : plans) {
    if (!plan.error && org.faults.draw_lock())
      plan.error = unable_to_lock_row(locked_id(org, plan));
  }
  bool any_failed = false;
  for (const auto& plan : plans)
    any_failed = any_failed || plan.error.has_value();
  json::Writer out;
  out.begin_array();
  org.store.begin();
  for (auto& plan : plans) {
    out.begin_object();
    if (plan.error || (all_or_none && any_failed)) {
      if (!plan.id.empty()) out.field("id", plan.id);
      out.field("success", false);
      out.key("errors").begin_array();
      write_item_error(out, plan.error ? *plan.error : kRolledBack);
      out.end_array();
    } else {
      const Outcome outcome = apply(plan);
      out.field("id", outcome.id);
      out.field("success", true);
      out.key("errors").begin_array().end_array();
      if (upsert) out.field("created", outcome.created);
    }
    out.end_object();
  }
  org.store.commit();
  out.end_array();
  return http::Response::json(200, out.take());
}

struct Body {
  bool all_or_none = false;
  simdjson::dom::array records;
};

std::optional<http::Response> read_body(simdjson::dom::parser& parser, const http::Request& request,
                                        Body& body) {
  http::Response failure;
  const auto root = parse_json_body(parser, request, failure);
  if (!root) return failure;
  simdjson::dom::object object;
  if (root->get_object().get(object) != simdjson::SUCCESS) {
    return json_parser_error(
        "Cannot deserialize instance of SObjectCollection from START_ARRAY value");
  }
  bool flag = false;
  if (object["allOrNone"].get_bool().get(flag) == simdjson::SUCCESS) body.all_or_none = flag;
  if (object["records"].get_array().get(body.records) != simdjson::SUCCESS) {
    return error_response(400, "INVALID_FIELD", "records is required");
  }
  if (body.records.size() > kMaxRecords) return too_many();
  return std::nullopt;
}

std::string_view record_type(simdjson::dom::object record) {
  std::string_view type;
  if (record["attributes"]["type"].get_string().get(type) != simdjson::SUCCESS) return {};
  return type;
}

http::Response create_or_update(Org& org, const ApiRequest& request, WriteMode mode) {
  simdjson::dom::parser parser;
  Body body;
  if (auto failure = read_body(parser, request.http, body)) return *failure;
  std::vector<Planned> plans;
  for (auto element : body.records) {
    Planned plan;
    simdjson::dom::object record;
    if (element.get_object().get(record) != simdjson::SUCCESS) {
      return json_parser_error("Cannot deserialize instance of SObject from "
                               + std::string(element.is_array() ? "START_ARRAY" : "VALUE_STRING")
                               + " value");
    }
    const std::string_view type = record_type(record);
    plan.object = org.schema.find(type);
    if (plan.object == nullptr) {
      if (type.empty())
        return error_response(400, "INVALID_TYPE", "Must specify a type in attributes");
      plan.error = field_error("INVALID_TYPE",
                               "sObject type '" + std::string(type) + "' is not supported.", {});
      plans.push_back(std::move(plan));
      continue;
    }
    SkipKeys skip = {"attributes"};
    if (mode == WriteMode::Update) {
      std::string_view id_text;
      const bool has_id = record["id"].get_string().get(id_text) == simdjson::SUCCESS
                          || record["Id"].get_string().get(id_text) == simdjson::SUCCESS;
      skip.add("id");
      skip.add("Id");
      const auto id = has_id ? canonical_id(id_text) : std::nullopt;
      plan.id = id ? *id : std::string(id_text);
      plan.existing = id ? org.store.find(*id) : nullptr;
      if (!has_id) {
        plan.error = field_error("MISSING_ARGUMENT", "Id not specified in an update call", {});
      } else if (!id) {
        plan.error = field_error("MALFORMED_ID", "malformed id " + std::string(id_text), {});
      } else if (plan.existing == nullptr || plan.existing->object != plan.object) {
        plan.error = field_error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {});
      } else if (plan.existing->deleted) {
        plan.error = field_error("ENTITY_IS_DELETED", "entity is deleted", {});
      }
      if (plan.error) {
        plans.push_back(std::move(plan));
        continue;
      }
    } else if (record["id"].error() == simdjson::SUCCESS
               || record["Id"].error() == simdjson::SUCCESS) {
      plan.error =
          field_error("INVALID_FIELD", "Record ID: cannot specify Id in an insert call", {"Id"});
      plans.push_back(std::move(plan));
      continue;
    }
    plan.error = read_changes(org, *plan.object, record, mode, skip, plan.changes);
    if (!plan.error)
      plan.error = check_record(org, *plan.object, plan.existing, plan.changes, mode);
    plans.push_back(std::move(plan));
  }
  return finish(org, request.http, plans, body.all_or_none, false, [&](Planned& plan) {
    if (plan.existing != nullptr) {
      update_record(org, *plan.existing, std::move(plan.changes));
      return Outcome{plan.existing->id, false};
    }
    return Outcome{create_record(org, *plan.object, std::move(plan.changes)).id, true};
  });
}

http::Response upsert(Org& org, const ApiRequest& request, const ObjectDef& object,
                      const FieldDef& key) {
  simdjson::dom::parser parser;
  Body body;
  if (auto failure = read_body(parser, request.http, body)) return *failure;
  std::vector<Planned> plans;
  std::set<std::string> seen_keys;
  for (auto element : body.records) {
    Planned plan;
    plan.object = &object;
    simdjson::dom::object record;
    if (element.get_object().get(record) != simdjson::SUCCESS) {
      return json_parser_error("Cannot deserialize instance of SObject from START_ARRAY value");
    }
    if (record_type(record).empty())
      return error_response(400, "INVALID_TYPE", "Must specify a type in attributes");
    std::string key_value;
    simdjson::dom::element key_element;
    if (record[key.name].get(key_element) == simdjson::SUCCESS && !key_element.is_null()) {
      key_value = key_element.is_string() ? std::string(key_element.get_string().value())
                                          : simdjson::to_string(key_element);
    }
    if (key_value.empty()) {
      plan.error = field_error("MISSING_ARGUMENT", key.name + " not specified", {});
    } else if (!seen_keys.insert(lower(key_value)).second) {
      plan.error = field_error("DUPLICATE_EXTERNAL_ID",
                               "Duplicate external id specified: " + key_value, {key.name});
    } else {
      const auto matches = find_by_field(org, object, key, key_value);
      if (matches.size() > 1) {
        plan.error = field_error(
            "DUPLICATE_EXTERNAL_ID",
            key.name + ": more than one record found for external id field: " + key_value,
            {key.name});
      } else {
        plan.existing = matches.empty() ? nullptr : matches.front();
        const WriteMode mode = plan.existing ? WriteMode::Update : WriteMode::Create;
        SkipKeys skip = {"attributes"};
        if (mode == WriteMode::Update) skip.add(key.name);
        plan.error = read_changes(org, object, record, mode, skip, plan.changes);
        if (!plan.error) plan.error = check_record(org, object, plan.existing, plan.changes, mode);
      }
    }
    plans.push_back(std::move(plan));
  }
  return finish(org, request.http, plans, body.all_or_none, true, [&](Planned& plan) {
    if (plan.existing != nullptr) {
      update_record(org, *plan.existing, std::move(plan.changes));
      return Outcome{plan.existing->id, false};
    }
    return Outcome{create_record(org, object, std::move(plan.changes)).id, true};
  });
}

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> items;
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string item(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!item.empty() && item.front() == ' ')
      item.erase(item.begin());
    while (!item.empty() && item.back() == ' ')
      item.pop_back();
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

http::Response remove(Org& org, const ApiRequest& request) {
  const auto ids = split_list(request.http.query_param("ids").value_or(""));
  if (ids.empty()) return error_response(400, "MISSING_ARGUMENT", "ids not specified");
  if (ids.size() > kMaxRecords) return too_many();
  const bool all_or_none = request.http.query_param("allOrNone").value_or("false") == "true";
  std::vector<Planned> plans;
  for (const auto& text : ids) {
    Planned plan;
    const auto id = canonical_id(text);
    plan.id = id ? *id : text;
    plan.existing = id ? org.store.find(*id) : nullptr;
    if (!id) {
      plan.error = field_error("MALFORMED_ID", "malformed id " + text, {});
    } else if (plan.existing == nullptr) {
      plan.error = field_error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {});
    } else if (plan.existing->deleted) {
      plan.error = field_error("ENTITY_IS_DELETED", "entity is deleted", {});
    }
    plans.push_back(std::move(plan));
  }
  return finish(org, request.http, plans, all_or_none, false, [&](Planned& plan) {
    delete_record(org, *plan.existing);
    return Outcome{plan.existing->id, false};
  });
}

http::Response retrieve(Org& org, const ApiRequest& request, const ObjectDef& object) {
  const auto ids = split_list(request.http.query_param("ids").value_or(""));
  const auto names = split_list(request.http.query_param("fields").value_or(""));
  if (ids.empty() || names.empty())
    return error_response(400, "MISSING_ARGUMENT", "ids and fields are required");
  std::vector<const FieldDef*> fields;
  for (const auto& name : names) {
    const FieldDef* field = object.find_field(name);
    if (field == nullptr) {
      return error_response(400, "INVALID_FIELD",
                            "No such column '" + name + "' on sobject of type " + object.name);
    }
    fields.push_back(field);
  }
  std::string body = "[";
  for (const auto& text : ids) {
    if (body.size() > 1) body += ",";
    const auto id = canonical_id(text);
    const Record* record = id ? org.store.find(*id) : nullptr;
    if (record == nullptr || record->deleted || record->object != &object) {
      body += "null";
    } else {
      body += record_json(*record, request.version, &fields);
    }
  }
  body += "]";
  return http::Response::json(200, body);
}

}  // namespace

http::Response handle_collections(Org& org, const ApiRequest& request) {
  // segments: composite, sobjects[, Type[, ExternalIdField]]
  const std::string& method = request.http.method;
  if (request.segments.size() == 2) {
    if (method == "POST") return create_or_update(org, request, WriteMode::Create);
    if (method == "PATCH") return create_or_update(org, request, WriteMode::Update);
    if (method == "DELETE") return remove(org, request);
    return error_response(
        405, "METHOD_NOT_ALLOWED",
        "HTTP Method '" + method + "' not allowed. Allowed are PATCH,POST,DELETE");
  }
  const ObjectDef* object = org.schema.find(request.segments[2]);
  if (object == nullptr) return not_found();
  if (request.segments.size() == 3 && method == "GET") return retrieve(org, request, *object);
  if (request.segments.size() == 4 && method == "PATCH") {
    const FieldDef* key = upsert_key(*object, request.segments[3]);
    if (key == nullptr) {
      return error_response(
          404, "NOT_FOUND",
          "Provided external ID field does not exist or is not accessible: " + request.segments[3]);
    }
    return upsert(org, request, *object, *key);
  }
  return error_response(405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + method + "' not allowed. Allowed are GET,PATCH");
}

}  // namespace sandbox::salesforce
