#include "daemon/reconcile/diff/field_decision.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>

namespace crmsync::reconcile {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x))
                  == std::tolower(static_cast<unsigned char>(y));
         });
}

// Whitespace runs count as one space: "Acme  Corp" and "Acme Corp" are the same text.
bool same_text(std::string_view a, std::string_view b) {
  auto next = [](std::string_view& s) -> int {
    if (s.empty()) return -1;
    if (std::isspace(static_cast<unsigned char>(s.front()))) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
      return ' ';
    }
    const char c = s.front();
    s.remove_prefix(1);
    return static_cast<unsigned char>(c);
  };
  for (;;) {
    const int x = next(a);
    const int y = next(b);
    if (x != y) return false;
    if (x == -1) return true;
  }
}

}  // namespace

bool equivalent_values(std::string_view a, std::string_view b, ValueKind kind) {
  a = trim(a);
  b = trim(b);
  switch (kind) {
    case ValueKind::email:
      return iequals(a, b);
    case ValueKind::phone: {
      // The mapping writes E.164 (+14155550101); the CRM may hold (415) 555-0101 or a national
      // form with a trunk prefix. libphonenumber knows when those are the same number.
      if (a == b) return true;
      using i18n::phonenumbers::PhoneNumberUtil;
      const auto match = PhoneNumberUtil::GetInstance()->IsNumberMatchWithTwoStrings(
          std::string(a), std::string(b));
      return match == PhoneNumberUtil::EXACT_MATCH || match == PhoneNumberUtil::NSN_MATCH;
    }
    case ValueKind::text:
      return same_text(a, b);
  }
  return a == b;
}

FieldDecision decide_field(mappings::ConflictPolicy policy, const FieldSides& sides) {
  using Action = FieldDecision::Action;
  using mappings::ConflictPolicy;
  const std::string_view source = trim(sides.source);
  const std::string_view crm = sides.crm ? trim(*sides.crm) : std::string_view();
  const std::string policy_name(mappings::to_string(policy));

  if (source.empty()) return {Action::unchanged, "", "no value in the file"};
  if (policy == ConflictPolicy::never) return {Action::keep, "", "crmsync never writes this field"};
  if (!crm.empty() && equivalent_values(source, crm, sides.kind))
    return {Action::unchanged, "", "same value"};
  if (crm.empty()) return {Action::write, std::string(source), "fills an empty field"};

  switch (policy) {
    case ConflictPolicy::fill_empty:
    case ConflictPolicy::crm_wins:
      return {Action::keep, "", "the CRM already has a value (" + policy_name + ")"};
    case ConflictPolicy::source_wins:
      return {Action::write, std::string(source),
              "the rep's value replaces the CRM's (source_wins)"};
    case ConflictPolicy::newest_wins:
      if (sides.source_modified > sides.crm_modified)
        return {Action::write, std::string(source), "the rep's file is newer (newest_wins)"};
      return {Action::keep, "", "the CRM record is newer (newest_wins)"};
    case ConflictPolicy::append:
      if (crm.find(source) != std::string_view::npos)
        return {Action::unchanged, "", "the CRM text already contains it (append)"};
      return {Action::write, std::string(crm) + "\n" + std::string(source), "appended (append)"};
    case ConflictPolicy::never:
      break;
  }
  return {Action::keep, "", "kept"};
}

}  // namespace crmsync::reconcile
