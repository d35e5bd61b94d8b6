// Validates field values sent by a client and applies them to a record, the way the real org
// checks a DML operation: unknown and read-only fields, types, lengths, email format, restricted
// picklists, lookups, required fields, unique fields (reference §7.3, §11.7).
#pragma once

#include <simdjson.h>

#include <array>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "salesforce/errors.hpp"
#include "salesforce/field_changes.hpp"
#include "salesforce/org.hpp"

namespace sandbox::salesforce {

enum class WriteMode { Create, Update };

// Keys of a JSON body that are not fields in this context (e.g. "attributes", the id of a
// collections update), compared exactly. A few at most: no set is built per record.
class SkipKeys {
 public:
  SkipKeys(std::initializer_list<std::string_view> keys) {
    for (const auto key : keys)
      add(key);
  }
  void add(std::string_view key) {
    if (count_ == keys_.size()) throw std::logic_error("SkipKeys holds four keys");
    keys_[count_++] = key;
  }
  [[nodiscard]] bool contains(std::string_view key) const {
    for (std::size_t i = 0; i < count_; ++i) {
      if (keys_[i] == key) return true;
    }
    return false;
  }

 private:
  std::array<std::string_view, 4> keys_{};
  std::size_t count_ = 0;
};

// Converts one JSON value for a field; std::nullopt + error on failure.
std::optional<Value> convert_json_value(Org& org, const FieldDef& field,
                                        simdjson::dom::element element, ApiError& error);
// Converts a text value (Bulk CSV, seed files): "" is null; "#N/A" is null too.
std::optional<Value> convert_text_value(Org& org, const FieldDef& field, std::string_view text,
                                        ApiError& error);

// Reads a JSON object of field -> value. `skip` names keys that are not fields in this context
// (e.g. "attributes", the id of a collections update). Returns the first error, if any.
std::optional<ApiError> read_changes(Org& org, const ObjectDef& object, simdjson::dom::object body,
                                     WriteMode mode, const SkipKeys& skip, FieldChanges& out);

// Checks the record as it would be after the changes (required fields, unique values).
std::optional<ApiError> check_record(Org& org, const ObjectDef& object, const Record* existing,
                                     const FieldChanges& changes, WriteMode mode);

// Creates a record (system fields, defaults, derived Name) and stores it; returns it. The
// changes' values are moved into the record.
Record& create_record(Org& org, const ObjectDef& object, FieldChanges&& changes,
                      std::optional<std::string> id = std::nullopt);
// Applies changes to an existing record, bumps LastModifiedDate/SystemModstamp, stores it.
void update_record(Org& org, Record& record, FieldChanges&& changes);
// Soft delete (the record stays visible to queryAll with IsDeleted = true).
void delete_record(Org& org, Record& record);

}  // namespace sandbox::salesforce
