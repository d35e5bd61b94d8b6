// daemon/reconcile/diff/field_decision.hpp — per field, what the conflict policy decides when a
// rep's value meets the CRM's: write it, keep the CRM's, or nothing to do, with the reason plan
// shows. Empty source values never clear CRM data, and equivalent values (a phone in another
// format, an email in other case) are not changes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "mappings/mapping.hpp"

namespace crmsync::reconcile {

enum class ValueKind { text, email, phone };

struct FieldDecision {
  enum class Action { write, keep, unchanged };
  Action action = Action::unchanged;
  std::string value;   // what to write, for `write`
  std::string reason;  // "CRM already has a value (fill_empty)", ...
};

struct FieldSides {
  std::string_view source;              // the mapped value (already normalised by the mapping)
  std::optional<std::string_view> crm;  // nullopt or empty: the CRM has no value
  ValueKind kind = ValueKind::text;
  // For newest_wins: when the rep's file and the CRM record were last changed.
  std::chrono::sys_time<std::chrono::milliseconds> source_modified{};
  std::chrono::sys_time<std::chrono::milliseconds> crm_modified{};
};

FieldDecision decide_field(mappings::ConflictPolicy policy, const FieldSides& sides);

// Whether two values mean the same for a field of this kind.
bool equivalent_values(std::string_view a, std::string_view b, ValueKind kind);

}  // namespace crmsync::reconcile
