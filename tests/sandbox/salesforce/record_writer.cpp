#include "salesforce/record_writer.hpp"

#include <cmath>
#include <cstdlib>

#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text)
    count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// The org's check is looser than RFC 5322 but rejects the usual typos: no @, no dot in the
// domain, spaces, doubled @.
bool plausible_email(std::string_view text) {
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = text.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  if (domain.find("..") != std::string_view::npos) return false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',' || c == ';' || c == '<'
        || c == '>') {
      return false;
    }
  }
  return true;
}

std::string deserialize_message(const FieldDef& field, std::string_view token,
                                std::string_view value) {
  return "Cannot deserialize instance of " + std::string(type_name(field.type)) + " from "
         + std::string(token) + " value " + std::string(value)
         + " or request may be missing a required field";
}

std::optional<Value> check_text(Org& org, const FieldDef& field, std::string text,
                                ApiError& error) {
  switch (field.type) {
    case FieldType::Boolean:
      if (text == "true" || text == "TRUE" || text == "1") return Value(true);
      if (text == "false" || text == "FALSE" || text == "0") return Value(false);
      error =
          field_error("JSON_PARSER_ERROR", deserialize_message(field, "VALUE_STRING", text), {});
      return std::nullopt;
    case FieldType::Int:
    case FieldType::Double:
    case FieldType::Currency: {
      char* end = nullptr;
      const double number = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(number)) {
        error =
            field_error("JSON_PARSER_ERROR", deserialize_message(field, "VALUE_STRING", text), {});
        return std::nullopt;
      }
      return Value(number);
    }
    case FieldType::Date:
      if (auto date = normalize_date(text)) return Value(*date);
      error =
          field_error("JSON_PARSER_ERROR", deserialize_message(field, "VALUE_STRING", text), {});
      return std::nullopt;
    case FieldType::DateTime:
      if (auto datetime = normalize_datetime(text)) return Value(*datetime);
      error =
          field_error("JSON_PARSER_ERROR", deserialize_message(field, "VALUE_STRING", text), {});
      return std::nullopt;
    case FieldType::Id:
    case FieldType::Reference: {
      const auto id = canonical_id(text);
      const ObjectDef* target =
          field.reference_to.empty() ? nullptr : org.schema.find(field.reference_to.front());
      if (!id || (target != nullptr && id->substr(0, 3) != target->key_prefix)) {
        error = field_error("MALFORMED_ID", field.label + ": id value of incorrect type: " + text,
                            {field.name});
        return std::nullopt;
      }
      const Record* referenced = org.store.find(*id);
      if (referenced == nullptr || referenced->deleted) {
        error =
            field_error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {field.name});
        return std::nullopt;
      }
      return Value(*id);
    }
    default:
      break;
  }
  if (field.length > 0 && utf8_length(text) > static_cast<std::size_t>(field.length)) {
    error = field_error("STRING_TOO_LONG",
                        field.label + ": data value too large: " + text
                            + " (max length=" + std::to_string(field.length) + ")",
                        {field.name});
    return std::nullopt;
  }
  if (field.type == FieldType::Email && !text.empty() && !plausible_email(text)) {
    error = field_error("INVALID_EMAIL_ADDRESS", field.label + ": invalid email address: " + text,
                        {field.name});
    return std::nullopt;
  }
  if (field.type == FieldType::Picklist && field.restricted_picklist) {
    bool known = false;
    for (const auto& allowed : field.picklist_values)
      known = known || allowed == text;
    if (!known) {
      error = field_error("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                          field.label + ": bad value for restricted picklist field: " + text,
                          {field.name});
      return std::nullopt;
    }
  }
  if (text.empty()) return Value();  // the org stores an empty string as null
  return Value(std::move(text));
}

const char* json_token(simdjson::dom::element element) {
  switch (element.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "START_ARRAY";
    case simdjson::dom::element_type::OBJECT:
      return "START_OBJECT";
    case simdjson::dom::element_type::BOOL:
      return "VALUE_TRUE";
    case simdjson::dom::element_type::DOUBLE:
      return "VALUE_NUMBER_FLOAT";
    default:
      return "VALUE_NUMBER_INT";
  }
}

std::string plain_person_name(const Record& record, const FieldChanges& changes) {
  const auto text = [&](const std::string& name) -> std::string {
    const Value* value = nullptr;
    if (const auto it = changes.values.find(name); it != changes.values.end()) {
      value = &it->second;
    } else {
      value = record.get(name);
    }
    return value != nullptr && std::holds_alternative<std::string>(*value)
               ? std::get<std::string>(*value)
               : "";
  };
  const std::string first = text("FirstName");
  const std::string last = text("LastName");
  return first.empty() ? last : (last.empty() ? first : first + " " + last);
}

void derive_fields(const ObjectDef& object, Record& record, const FieldChanges& changes) {
  // Person objects have a read-only compound Name built from FirstName and LastName.
  const FieldDef* name = object.find_field("Name");
  if (name != nullptr && !name->createable && object.find_field("LastName") != nullptr) {
    record.fields["Name"] = plain_person_name(record, changes);
  }
}

}  // namespace

std::optional<Value> convert_text_value(Org& org, const FieldDef& field, const std::string& text,
                                        ApiError& error) {
  if (text.empty() || text == "#N/A") return Value();
  return check_text(org, field, text, error);
}

std::optional<Value> convert_json_value(Org& org, const FieldDef& field,
                                        simdjson::dom::element element, ApiError& error) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::NULL_VALUE:
      return Value();
    case element_type::STRING:
      return check_text(org, field, std::string(element.get_string().value()), error);
    case element_type::BOOL:
      if (field.type == FieldType::Boolean) return Value(element.get_bool().value());
      if (is_text(field.type))
        return check_text(org, field, element.get_bool().value() ? "true" : "false", error);
      break;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      const double number = element.get_double().value();
      if (field.type == FieldType::Int || field.type == FieldType::Double
          || field.type == FieldType::Currency) {
        return Value(number);
      }
      if (is_text(field.type)) return check_text(org, field, simdjson::to_string(element), error);
      break;
    }
    default:
      break;
  }
  error = field_error("JSON_PARSER_ERROR",
                      deserialize_message(field, json_token(element), simdjson::to_string(element)),
                      {});
  return std::nullopt;
}

std::optional<ApiError> read_changes(Org& org, const ObjectDef& object, simdjson::dom::object body,
                                     WriteMode mode, const std::set<std::string>& skip,
                                     FieldChanges& out) {
  for (auto [key, element] : body) {
    const std::string name(key);
    if (skip.count(name) != 0) continue;
    const FieldDef* field = object.find_field(name);
    if (field == nullptr) {
      return field_error("INVALID_FIELD",
                         "No such column '" + name + "' on sobject of type " + object.name, {});
    }
    const bool writable = mode == WriteMode::Create ? field->createable : field->updateable;
    if (!writable) {
      return field_error("INVALID_FIELD_FOR_INSERT_UPDATE",
                         std::string("Unable to ") + (mode == WriteMode::Create ? "create" : "update")
                             + " fields: " + field->name
                             + ". Please check the security settings of this field and verify that it is "
                               "read/write for your profile or permission set.",
                         {field->name});
    }
    ApiError error;
    auto value = convert_json_value(org, *field, element, error);
    if (!value) return error;
    out.values[field->name] = std::move(*value);
  }
  return std::nullopt;
}

std::optional<ApiError> check_record(Org& org, const ObjectDef& object, const Record* existing,
                                     const FieldChanges& changes, WriteMode mode) {
  std::vector<std::string> missing;
  for (const auto& field : object.fields) {
    if (field.nillable || field.defaulted_on_create || !field.createable
        || field.type == FieldType::Boolean)
      continue;
    const auto change = changes.values.find(field.name);
    const bool set_now = change != changes.values.end() && !is_null(change->second);
    const bool cleared = change != changes.values.end() && is_null(change->second);
    const bool had = existing != nullptr && existing->get(field.name) != nullptr
                     && !is_null(*existing->get(field.name));
    if (mode == WriteMode::Create ? !set_now : cleared || (!set_now && !had))
      missing.push_back(field.name);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing)
      list += (list.empty() ? "" : ", ") + name;
    return field_error("REQUIRED_FIELD_MISSING", "Required fields are missing: [" + list + "]",
                       missing);
  }
  for (const auto& [name, value] : changes.values) {
    const FieldDef* field = object.find_field(name);
    if (!field->unique || is_null(value)) continue;
    const std::string wanted = lower(value_text(*field, value));
    for (const Record* other : org.store.records_of(object)) {
      if (other == existing || other->deleted) continue;
      const Value* theirs = other->get(name);
      if (theirs != nullptr && !is_null(*theirs) && lower(value_text(*field, *theirs)) == wanted) {
        return field_error("DUPLICATE_VALUE",
                           "duplicate value found: " + name
                               + " duplicates value on record with id: " + other->id.substr(0, 15),
                           {});
      }
    }
  }
  return std::nullopt;
}

Record& create_record(Org& org, const ObjectDef& object, const FieldChanges& changes,
                      std::optional<std::string> id) {
  Record record;
  record.object = &object;
  record.id = id ? *id : org.store.next_id(object);
  const std::string now = now_datetime();
  record.fields["Id"] = record.id;
  record.fields["IsDeleted"] = false;
  record.fields["CreatedDate"] = now;
  record.fields["LastModifiedDate"] = now;
  record.fields["SystemModstamp"] = now;
  record.fields["CreatedById"] = org.integration_user_id;
  record.fields["LastModifiedById"] = org.integration_user_id;
  if (object.find_field("OwnerId") != nullptr) record.fields["OwnerId"] = org.integration_user_id;
  for (const auto& field : object.fields) {
    if (field.type == FieldType::Boolean && record.fields.count(field.name) == 0) {
      record.fields[field.name] = field.name == "IsActive";
    }
    if (field.type == FieldType::Picklist && field.defaulted_on_create
        && !field.picklist_values.empty()) {
      record.fields[field.name] = field.picklist_values.front();
    }
  }
  for (const auto& [name, value] : changes.values) {
    if (is_null(value)) {
      record.fields.erase(name);
    } else {
      record.fields[name] = value;
    }
  }
  derive_fields(object, record, changes);
  return org.store.insert(std::move(record));
}

void update_record(Org& org, Record& record, const FieldChanges& changes) {
  derive_fields(*record.object, record, changes);
  for (const auto& [name, value] : changes.values) {
    if (is_null(value)) {
      record.fields.erase(name);
    } else {
      record.fields[name] = value;
    }
  }
  const std::string now = now_datetime();
  record.fields["LastModifiedDate"] = now;
  record.fields["SystemModstamp"] = now;
  record.fields["LastModifiedById"] = org.integration_user_id;
  org.store.save(record);
}

void delete_record(Org& org, Record& record) {
  record.deleted = true;
  record.fields["IsDeleted"] = true;
  const std::string now = now_datetime();
  record.fields["LastModifiedDate"] = now;
  record.fields["SystemModstamp"] = now;
  org.store.save(record);
}

}  // namespace sandbox::salesforce
