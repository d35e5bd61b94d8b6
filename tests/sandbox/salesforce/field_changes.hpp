// The field values one write sends (a JSON body, a CSV row, a seed row), converted and checked
// but not yet applied to a record. A handful of fields per write: kept in a small vector in the
// order they were sent, not a map, since every record of a Bulk job or a collection builds one.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "salesforce/schema.hpp"
#include "salesforce/values.hpp"

namespace sandbox::salesforce {

class FieldChanges {
 public:
  struct Change {
    const FieldDef* field;
    Value value;  // monostate = clear the field
  };

  // Sets a field's new value; a field sent twice keeps the last value (in its first place).
  void set(const FieldDef& field, Value value) {
    for (auto& change : changes_) {
      if (change.field == &field) {
        change.value = std::move(value);
        return;
      }
    }
    if (changes_.empty()) changes_.reserve(8);  // one allocation for a typical write
    changes_.push_back({&field, std::move(value)});
  }
  // The change of the field with this canonical name, or nullptr when it is not changed.
  [[nodiscard]] const Value* find(std::string_view name) const {
    for (const auto& change : changes_) {
      if (change.field->name == name) return &change.value;
    }
    return nullptr;
  }
  [[nodiscard]] const Value* find(const FieldDef& field) const {
    for (const auto& change : changes_) {
      if (change.field == &field) return &change.value;
    }
    return nullptr;
  }
  [[nodiscard]] bool empty() const { return changes_.empty(); }
  [[nodiscard]] auto begin() const { return changes_.begin(); }
  [[nodiscard]] auto end() const { return changes_.end(); }
  [[nodiscard]] auto begin() { return changes_.begin(); }
  [[nodiscard]] auto end() { return changes_.end(); }

 private:
  std::vector<Change> changes_;
};

}  // namespace sandbox::salesforce
