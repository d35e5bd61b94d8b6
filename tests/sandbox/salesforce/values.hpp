// Field values of emulated records and their wire encodings. Dates and datetimes are kept as
// canonical strings ("2024-01-31", "2024-01-31T09:15:00.000+0000", always UTC) so ordering and
// comparisons are plain string comparisons.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "json/json_writer.hpp"
#include "salesforce/schema.hpp"

namespace sandbox::salesforce {

using Value = std::variant<std::monostate, bool, double, std::string>;

inline bool is_null(const Value& value) {
  return std::holds_alternative<std::monostate>(value);
}

// One record, laid out flat: its values sit in the slots of its object's fields (FieldDef::index),
// so reading or writing a field is an array access, not a lookup by name. Bulk loads and
// collections create records by the hundred thousand; a map of names per record was their cost.
struct Record {
  std::string id;  // 18 chars
  const ObjectDef* object = nullptr;
  std::vector<Value> values;  // by FieldDef::index; monostate = null
  bool deleted = false;
  std::uint64_t sequence = 0;  // insertion order: the natural order of query results

  // An empty record of `object` (every value null).
  static Record of(const ObjectDef& object);

  // The value, or nullptr when it is null. A field of another object is matched by name.
  [[nodiscard]] const Value* get(const FieldDef& field) const {
    if (field.index < values.size() && &object->fields[field.index] == &field)
      return is_null(values[field.index]) ? nullptr : &values[field.index];
    return get(field.name);
  }
  [[nodiscard]] const Value* get(std::string_view name) const;
  // The slot of a field of this record's object.
  Value& slot(const FieldDef& field);
};

// Writes a value as the REST API encodes it for this field type (int fields as integers,
// double/currency with a decimal, null as null).
void write_value(json::Writer& out, const FieldDef& field, const Value& value);
// The CSV/text form (Bulk results, messages): "true", "23.0", dates as stored.
std::string value_text(const FieldDef& field, const Value& value);

// Current time in the canonical datetime form; successive calls never go backwards.
std::string now_datetime();
// Accepts "YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm|+hhmm)" and returns the canonical UTC form.
std::optional<std::string> normalize_datetime(std::string_view text);
// Accepts "YYYY-MM-DD" (a trailing 'Z', as the Bulk docs show, is tolerated).
std::optional<std::string> normalize_date(std::string_view text);

}  // namespace sandbox::salesforce
