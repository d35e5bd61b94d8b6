// Single-record sObject resources (reference §4): create, read, update, delete, read and upsert
// by external id.
#include "json/json_writer.hpp"
#include "salesforce/duplicate_rule.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"
#include "salesforce/record_writer.hpp"

namespace sandbox::salesforce {
namespace {

http::Response method_not_allowed(const std::string& method, const char* allowed) {
  return error_response(405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + method + "' not allowed. Allowed are " + allowed);
}

http::Response no_such_external_field(const std::string& name) {
  return error_response(404, "NOT_FOUND",
                        "Provided external ID field does not exist or is not accessible: " + name);
}

http::Response get_record(const ApiRequest& request, const Record& record) {
  std::vector<const FieldDef*> only;
  if (const auto fields = request.http.query_param("fields")) {
    std::string_view list = *fields;
    while (!list.empty()) {
      const auto comma = list.find(',');
      std::string name(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      while (!name.empty() && name.front() == ' ')
        name.erase(name.begin());
      while (!name.empty() && name.back() == ' ')
        name.pop_back();
      if (name.empty()) continue;
      const FieldDef* field = record.object->find_field(name);
      if (field == nullptr) {
        return error_response(400, "INVALID_FIELD",
                              "No such column '" + name + "' on entity '" + record.object->name
                                  + "'. If you are attempting to use a custom field, be sure to append the '__c' "
                                    "after the custom field name. Please reference your WSDL or the describe call "
                                    "for the appropriate names.");
      }
      only.push_back(field);
    }
  }
  return http::Response::json(200,
                              record_json(record, request.version, only.empty() ? nullptr : &only));
}

http::Response create(Org& org, const ApiRequest& request, const ObjectDef& object) {
  simdjson::dom::parser parser;
  http::Response failure;
  const auto body = parse_json_body(parser, request.http, failure);
  if (!body) return failure;
  simdjson::dom::object fields;
  if (body->get_object().get(fields) != simdjson::SUCCESS) {
    return json_parser_error("Cannot deserialize instance of " + object.name + " from "
                             + (body->is_array() ? "START_ARRAY" : "VALUE_STRING") + " value");
  }
  FieldChanges changes;
  if (auto error = read_changes(org, object, fields, WriteMode::Create, {"attributes"}, changes)) {
    return error_response(400, *error);
  }
  if (auto error = check_record(org, object, nullptr, changes, WriteMode::Create))
    return error_response(400, *error);
  if (auto duplicates = refused_duplicates(org, object, nullptr, changes, &request.http);
      !duplicates.empty()) {
    return duplicates_detected_response(org, duplicates, request.version);
  }
  const Record& record = create_record(org, object, std::move(changes));
  json::Writer out;
  write_success(out, record.id, std::nullopt);
  return http::Response::json(201, out.take());
}

http::Response update(Org& org, const ApiRequest& request, Record& record) {
  simdjson::dom::parser parser;
  http::Response failure;
  const auto body = parse_json_body(parser, request.http, failure);
  if (!body) return failure;
  simdjson::dom::object fields;
  if (body->get_object().get(fields) != simdjson::SUCCESS) {
    return json_parser_error("Cannot deserialize instance of " + record.object->name
                             + " from START_ARRAY value");
  }
  FieldChanges changes;
  if (auto error =
          read_changes(org, *record.object, fields, WriteMode::Update, {"attributes"}, changes)) {
    return error_response(400, *error);
  }
  if (auto error = check_record(org, *record.object, &record, changes, WriteMode::Update)) {
    return error_response(400, *error);
  }
  if (auto duplicates = refused_duplicates(org, *record.object, &record, changes, &request.http);
      !duplicates.empty()) {
    return duplicates_detected_response(org, duplicates, request.version);
  }
  update_record(org, record, std::move(changes));
  return http::Response::empty(204);
}

http::Response upsert(Org& org, const ApiRequest& request, const ObjectDef& object,
                      const FieldDef& key, const std::string& value) {
  simdjson::dom::parser parser;
  http::Response failure;
  const auto body = parse_json_body(parser, request.http, failure);
  if (!body) return failure;
  simdjson::dom::object fields;
  if (body->get_object().get(fields) != simdjson::SUCCESS) {
    return json_parser_error("Cannot deserialize instance of " + object.name
                             + " from START_ARRAY value");
  }
  const auto matches = find_by_field(org, object, key, value);
  if (matches.size() > 1) {
    json::Writer out;
    out.begin_array();
    for (const Record* match : matches)
      out.string("/services/data/v" + request.version + "/sobjects/" + object.name + "/"
                 + match->id);
    out.end_array();
    return http::Response::json(300, out.take());
  }
  const WriteMode mode = matches.empty() ? WriteMode::Create : WriteMode::Update;
  FieldChanges changes;
  if (auto error = read_changes(org, object, fields, mode, {"attributes"}, changes))
    return error_response(400, *error);
  if (mode == WriteMode::Create && key.name != "Id") {
    ApiError error;
    auto converted = convert_text_value(org, key, value, error);
    if (!converted) return error_response(400, error);
    changes.set(key, *converted);
  }
  if (mode == WriteMode::Create && key.name == "Id") return not_found();
  if (auto error =
          check_record(org, object, matches.empty() ? nullptr : matches.front(), changes, mode)) {
    return error_response(400, *error);
  }
  if (auto duplicates = refused_duplicates(org, object, matches.empty() ? nullptr : matches.front(),
                                           changes, &request.http);
      !duplicates.empty()) {
    return duplicates_detected_response(org, duplicates, request.version);
  }
  const bool modern = std::strtod(request.version.c_str(), nullptr) >= 46.0;
  json::Writer out;
  if (mode == WriteMode::Create) {
    const Record& record = create_record(org, object, std::move(changes));
    write_success(out, record.id, modern ? std::optional<bool>(true) : std::nullopt);
    return http::Response::json(201, out.take());
  }
  update_record(org, *matches.front(), std::move(changes));
  if (!modern) return http::Response::empty(204);
  write_success(out, matches.front()->id, false);
  return http::Response::json(200, out.take());
}

}  // namespace

std::vector<Record*> find_by_field(Org& org, const ObjectDef& object, const FieldDef& field,
                                   const std::string& value) {
  std::vector<Record*> matches;
  if (field.type == FieldType::Id) {
    const auto id = canonical_id(value);
    Record* record = id ? org.store.find(*id) : nullptr;
    if (record != nullptr && !record->deleted && record->object == &object)
      matches.push_back(record);
    return matches;
  }
  const std::string wanted = lower(value);
  for (Record* record : org.store.records_of(object)) {
    if (record->deleted) continue;
    const Value* current = record->get(field);
    if (current != nullptr && lower(value_text(field, *current)) == wanted) {
      matches.push_back(record);
    }
  }
  return matches;
}

const FieldDef* upsert_key(const ObjectDef& object, const std::string& name) {
  const FieldDef* field = object.find_field(name);
  return field != nullptr && (field->external_id || field->id_lookup) ? field : nullptr;
}

void write_success(json::Writer& out, const std::string& id, std::optional<bool> created) {
  out.begin_object();
  out.field("id", id);
  out.field("success", true);
  out.key("errors").begin_array().end_array();
  if (created) out.field("created", *created);
  out.end_object();
}

std::string record_json(const Record& record, const std::string& version,
                        const std::vector<const FieldDef*>* only_fields) {
  json::Writer out;
  out.begin_object();
  out.key("attributes").begin_object();
  out.field("type", record.object->name);
  out.field("url",
            "/services/data/v" + version + "/sobjects/" + record.object->name + "/" + record.id);
  out.end_object();
  const auto write = [&](const FieldDef& field) {
    out.key(field.name);
    const Value* value = record.get(field);
    value != nullptr ? write_value(out, field, *value) : void(out.null());
  };
  if (only_fields != nullptr) {
    for (const FieldDef* field : *only_fields)
      write(*field);
  } else {
    for (const auto& field : record.object->fields)
      write(field);
  }
  out.end_object();
  return out.take();
}

http::Response handle_sobject(Org& org, const ApiRequest& request) {
  // segments: sobjects, Type[, id | keyField[, value]]
  const ObjectDef* object = org.schema.find(request.segments[1]);
  if (object == nullptr) return not_found();
  const std::string& method = request.http.method;
  if (request.segments.size() == 2) {
    if (method == "POST") return create(org, request, *object);
    return method_not_allowed(method, "HEAD,GET,POST");
  }
  if (request.segments.size() == 3) {
    const std::string& key = request.segments[2];
    if (key == "Id" && method == "POST") return create(org, request, *object);
    const auto id = canonical_id(key);
    Record* record = id ? org.store.find(*id) : nullptr;
    if (!id) return no_such_external_field(key);
    if (record == nullptr || record->object != object) return not_found();
    if (record->deleted) {
      return method == "DELETE" ? error_response(404, "ENTITY_IS_DELETED", "entity is deleted")
                                : not_found();
    }
    if (method == "GET") return get_record(request, *record);
    if (method == "PATCH") return update(org, request, *record);
    if (method == "DELETE") {
      delete_record(org, *record);
      return http::Response::empty(204);
    }
    return method_not_allowed(method, "HEAD,GET,PATCH,DELETE");
  }
  if (request.segments.size() == 4) {
    const FieldDef* key = upsert_key(*object, request.segments[2]);
    if (key == nullptr) return no_such_external_field(request.segments[2]);
    const std::string& value = request.segments[3];
    if (method == "PATCH") return upsert(org, request, *object, *key, value);
    const auto matches = find_by_field(org, *object, *key, value);
    if (method == "GET") {
      if (matches.empty()) return not_found();
      if (matches.size() > 1) {
        json::Writer out;
        out.begin_array();
        for (const Record* match : matches)
          out.string("/services/data/v" + request.version + "/sobjects/" + object->name + "/"
                     + match->id);
        out.end_array();
        return http::Response::json(300, out.take());
      }
      return get_record(request, *matches.front());
    }
    if (method == "DELETE") {
      if (matches.size() != 1)
        return matches.empty()
                   ? not_found()
                   : error_response(300, "MULTIPLE_CHOICES", "More than one record found");
      delete_record(org, *matches.front());
      return http::Response::empty(204);
    }
    return method_not_allowed(method, "HEAD,GET,PATCH,DELETE");
  }
  return not_found();
}

}  // namespace sandbox::salesforce
