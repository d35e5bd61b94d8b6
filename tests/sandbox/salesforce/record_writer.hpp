// Validates field values sent by a client and applies them to a record, the way the real org
// checks a DML operation: unknown and read-only fields, types, lengths, email format, restricted
// picklists, lookups, required fields, unique fields (reference §7.3, §11.7).
#pragma once

#include <simdjson.h>

#include <optional>
#include <set>
#include <string>

#include "salesforce/errors.hpp"
#include "salesforce/org.hpp"

namespace sandbox::salesforce {

enum class WriteMode { Create, Update };

// Field values converted and checked, not yet applied.
struct FieldChanges {
  std::map<std::string, Value> values;  // canonical field name -> new value (monostate = clear)
};

// Converts one JSON value for a field; std::nullopt + error on failure.
std::optional<Value> convert_json_value(Org& org, const FieldDef& field,
                                        simdjson::dom::element element, ApiError& error);
// Converts a text value (Bulk CSV, seed files): "" is null; "#N/A" is null too.
std::optional<Value> convert_text_value(Org& org, const FieldDef& field, const std::string& text,
                                        ApiError& error);

// Reads a JSON object of field -> value. `skip` names keys that are not fields in this context
// (e.g. "attributes", the id of a collections update). Returns the first error, if any.
std::optional<ApiError> read_changes(Org& org, const ObjectDef& object, simdjson::dom::object body,
                                     WriteMode mode, const std::set<std::string>& skip,
                                     FieldChanges& out);

// Checks the record as it would be after the changes (required fields, unique values).
std::optional<ApiError> check_record(Org& org, const ObjectDef& object, const Record* existing,
                                     const FieldChanges& changes, WriteMode mode);

// Creates a record (system fields, defaults, derived Name) and stores it; returns it.
Record& create_record(Org& org, const ObjectDef& object, const FieldChanges& changes,
                      std::optional<std::string> id = std::nullopt);
// Applies changes to an existing record, bumps LastModifiedDate/SystemModstamp, stores it.
void update_record(Org& org, Record& record, const FieldChanges& changes);
// Soft delete (the record stays visible to queryAll with IsDeleted = true).
void delete_record(Org& org, Record& record);

}  // namespace sandbox::salesforce
