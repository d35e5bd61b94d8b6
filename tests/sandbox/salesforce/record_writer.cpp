#include "salesforce/record_writer.hpp"

#include <algorithm>
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
  // A text has at most as many characters as bytes: most need no counting.
  if (field.length > 0 && text.size() > static_cast<std::size_t>(field.length)
      && utf8_length(text) > static_cast<std::size_t>(field.length)) {
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

std::string plain_person_name(const Record& record, const FieldDef* first_field,
                              const FieldDef& last_field) {
  const auto text = [&](const FieldDef* field) -> std::string_view {
    const Value* value = field != nullptr ? record.get(*field) : nullptr;
    return value != nullptr && std::holds_alternative<std::string>(*value)
               ? std::string_view(std::get<std::string>(*value))
               : std::string_view();
  };
  const std::string_view first = text(first_field);
  const std::string_view last = text(&last_field);
  if (first.empty()) return std::string(last);
  if (last.empty()) return std::string(first);
  std::string name;
  name.reserve(first.size() + 1 + last.size());
  return name.append(first).append(" ").append(last);
}

// Runs after the changes are applied (the compound Name is read-only: no change can set it).
void derive_fields(const ObjectDef& object, Record& record) {
  // Person objects have a read-only compound Name built from FirstName and LastName.
  const FieldDef* name = object.name_field(NameField::Name);
  const FieldDef* last = object.name_field(NameField::LastName);
  if (name != nullptr && !name->createable && last != nullptr) {
    record.slot(*name) = plain_person_name(record, object.name_field(NameField::FirstName), *last);
  }
}

// Sets a system field the object has (custom objects of a schema file may lack some).
void set_system(Record& record, SystemField which, Value value) {
  if (const FieldDef* field = record.object->system_field(which))
    record.slot(*field) = std::move(value);
}

// Moves the values: a write's strings are allocated once, when the request is read.
void apply_changes(Record& record, FieldChanges&& changes) {
  for (auto& change : changes)
    record.slot(*change.field) = std::move(change.value);
}

}  // namespace

std::optional<Value> convert_text_value(Org& org, const FieldDef& field, std::string_view text,
                                        ApiError& error) {
  if (text.empty() || text == "#N/A") return Value();
  return check_text(org, field, std::string(text), error);
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
                                     WriteMode mode, const SkipKeys& skip, FieldChanges& out) {
  for (auto [key, element] : body) {
    if (skip.contains(key)) continue;
    const FieldDef* field = object.find_field(key);
    if (field == nullptr) {
      return field_error(
          "INVALID_FIELD",
          "No such column '" + std::string(key) + "' on sobject of type " + object.name, {});
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
    out.set(*field, std::move(*value));
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
    const Value* change = changes.find(field);
    const bool set_now = change != nullptr && !is_null(*change);
    const bool cleared = change != nullptr && is_null(*change);
    const bool had = existing != nullptr && existing->get(field) != nullptr;
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
  // Unique fields are checked in name order, so the error names the same field whatever order
  // the client sent them in.
  std::vector<const FieldChanges::Change*> unique;
  for (const auto& change : changes) {
    if (change.field->unique && !is_null(change.value)) unique.push_back(&change);
  }
  std::sort(unique.begin(), unique.end(),
            [](const auto* a, const auto* b) { return a->field->name < b->field->name; });
  for (const auto* change : unique) {
    const FieldDef& field = *change->field;
    const std::string wanted = lower(value_text(field, change->value));
    for (const Record* other : org.store.records_of(object)) {
      if (other == existing || other->deleted) continue;
      const Value* theirs = other->get(field);
      if (theirs != nullptr && lower(value_text(field, *theirs)) == wanted) {
        return field_error("DUPLICATE_VALUE",
                           "duplicate value found: " + field.name
                               + " duplicates value on record with id: " + other->id.substr(0, 15),
                           {});
      }
    }
  }
  return std::nullopt;
}

Record& create_record(Org& org, const ObjectDef& object, FieldChanges&& changes,
                      std::optional<std::string> id) {
  Record record = Record::of(object);
  record.id = id ? std::move(*id) : org.store.next_id(object);
  const std::string now = now_datetime();
  set_system(record, SystemField::Id, record.id);
  set_system(record, SystemField::IsDeleted, false);
  set_system(record, SystemField::CreatedDate, now);
  set_system(record, SystemField::LastModifiedDate, now);
  set_system(record, SystemField::SystemModstamp, now);
  set_system(record, SystemField::CreatedById, org.integration_user_id);
  set_system(record, SystemField::LastModifiedById, org.integration_user_id);
  set_system(record, SystemField::OwnerId, org.integration_user_id);
  for (const auto& field : object.fields) {
    Value& value = record.values[field.index];
    if (field.type == FieldType::Boolean && is_null(value)) value = field.name == "IsActive";
    if (field.type == FieldType::Picklist && field.defaulted_on_create
        && !field.picklist_values.empty()) {
      value = field.picklist_values.front();
    }
  }
  apply_changes(record, std::move(changes));
  derive_fields(object, record);
  return org.store.insert(std::move(record));
}

void update_record(Org& org, Record& record, FieldChanges&& changes) {
  const ObjectDef& object = *record.object;
  apply_changes(record, std::move(changes));
  derive_fields(object, record);
  const std::string now = now_datetime();
  set_system(record, SystemField::LastModifiedDate, now);
  set_system(record, SystemField::SystemModstamp, now);
  set_system(record, SystemField::LastModifiedById, org.integration_user_id);
  org.store.save(record);
}

void delete_record(Org& org, Record& record) {
  record.deleted = true;
  set_system(record, SystemField::IsDeleted, true);
  const std::string now = now_datetime();
  set_system(record, SystemField::LastModifiedDate, now);
  set_system(record, SystemField::SystemModstamp, now);
  org.store.save(record);
}

}  // namespace sandbox::salesforce
