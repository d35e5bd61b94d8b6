#include "salesforce/duplicate_rule.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "json/json_writer.hpp"
#include "salesforce/org.hpp"

namespace sandbox::salesforce {
namespace {

constexpr const char* kMessage = "Use one of these records?";

std::string text_of(const Record* existing, const FieldChanges& changes, std::string_view name) {
  const Value* value = changes.find(name);
  if (value == nullptr && existing != nullptr) value = existing->get(name);
  return value != nullptr && std::holds_alternative<std::string>(*value)
             ? std::get<std::string>(*value)
             : "";
}

std::string text_of(const Record& record, const FieldDef* field) {
  const Value* value = field != nullptr ? record.get(*field) : nullptr;
  return value != nullptr && std::holds_alternative<std::string>(*value)
             ? std::get<std::string>(*value)
             : "";
}

// Lower-cased letters and digits only: "O'Brien" and "obrien" compare equal.
std::string squash(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || byte >= 0x80)
      out.push_back(static_cast<char>(std::tolower(byte)));
  }
  return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// A typo (one edit in a name of 4+ characters) or an initial ("J" for "John") still matches.
bool similar_first(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.empty() || b.empty()) return false;
  if (a.size() == 1 || b.size() == 1) return a[0] == b[0];
  return std::max(a.size(), b.size()) >= 4 && edit_distance(a, b) <= 1;
}

bool similar_last(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  return a == b || (std::max(a.size(), b.size()) >= 5 && edit_distance(a, b) <= 1);
}

bool allow_save_requested(const http::Request& request) {
  const auto header = request.header("sforce-duplicate-rule-header");
  if (!header) return false;
  std::string value = lower(*header);
  value.erase(std::remove(value.begin(), value.end(), ' '), value.end());
  return value.find("allowsave=true") != std::string::npos;
}

}  // namespace

DuplicateRule parse_duplicate_rule(std::string_view text) {
  DuplicateRule rule;
  while (!text.empty()) {
    const auto end = text.find_first_of(", \t\n");
    const std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (item.empty() || item == "off") continue;
    if (item == "email") {
      rule.email = true;
    } else if (item == "name") {
      rule.name = true;
    } else if (item == "block") {
      rule.block = true;
    } else {
      throw std::invalid_argument("duplicate rule: unknown item '" + std::string(item)
                                  + "'; known: off, email, name, block");
    }
  }
  return rule;
}

std::string duplicate_rule_json(const DuplicateRule& rule) {
  json::Writer out;
  out.begin_object();
  out.field("email", rule.email).field("name", rule.name).field("block", rule.block);
  out.end_object();
  return out.take();
}

std::vector<std::string> refused_duplicates(Org& org, const ObjectDef& object,
                                            const Record* existing, const FieldChanges& changes,
                                            const http::Request* request) {
  const DuplicateRule& rule = org.duplicate_rule;
  std::vector<std::string> ids;
  if (!rule.enabled() || object.name != "Contact") return ids;
  if (!rule.block && request != nullptr && allow_save_requested(*request)) return ids;
  const std::string email = lower(text_of(existing, changes, "Email"));
  const std::string first = squash(text_of(existing, changes, "FirstName"));
  const std::string last = squash(text_of(existing, changes, "LastName"));
  const std::string account = text_of(existing, changes, "AccountId");
  const auto field = [&](std::string_view name) {
    const FieldDef* found = object.find_field(name);
    return found != nullptr && found->name == name ? found : nullptr;
  };
  const FieldDef* email_field = field("Email");
  const FieldDef* account_field = field("AccountId");
  const FieldDef* first_field = field("FirstName");
  const FieldDef* last_field = field("LastName");
  for (const Record* other : org.store.records_of(object)) {
    if (other->deleted || other == existing) continue;
    const bool same_email =
        rule.email && !email.empty() && lower(text_of(*other, email_field)) == email;
    const bool same_person = rule.name && text_of(*other, account_field) == account
                             && similar_last(last, squash(text_of(*other, last_field)))
                             && similar_first(first, squash(text_of(*other, first_field)));
    if (same_email || same_person) ids.push_back(other->id);
  }
  return ids;
}

ApiError duplicates_detected() {
  return ApiError{"DUPLICATES_DETECTED", kMessage, {}, true};
}

http::Response duplicates_detected_response(const Org& org, const std::vector<std::string>& ids,
                                            const std::string& version) {
  json::Writer out;
  out.begin_array().begin_object();
  out.field("errorCode", "DUPLICATES_DETECTED");
  out.field("message", kMessage);
  out.key("fields").begin_array().end_array();
  out.key("duplicateResult").begin_object();
  out.field("allowSave", !org.duplicate_rule.block);
  out.field("duplicateRule", "Standard_Contact_Duplicate_Rule");
  out.field("duplicateRuleEntityType", "Contact");
  out.field("errorMessage", kMessage);
  out.key("matchResults").begin_array().begin_object();
  out.field("entityType", "Contact");
  out.key("errors").begin_array().end_array();
  out.field("matchEngine", "FuzzyMatchEngine");
  out.key("matchRecords").begin_array();
  for (const auto& id : ids) {
    out.begin_object();
    out.key("additionalInformation").begin_array().end_array();
    out.key("fieldDiffs").begin_array().end_array();
    out.key("matchConfidence").decimal(100.0);
    out.key("record").begin_object();
    out.key("attributes").begin_object();
    out.field("type", "Contact");
    out.field("url", "/services/data/v" + version + "/sobjects/Contact/" + id);
    out.end_object();
    out.field("Id", id);
    out.end_object();
    out.end_object();
  }
  out.end_array();
  out.field("rule", "Standard_Contact_Match_Rule_v1_1");
  out.field("size", static_cast<std::int64_t>(ids.size()));
  out.field("success", true);
  out.end_object().end_array();
  out.end_object();
  out.end_object().end_array();
  return http::Response::json(400, out.take());
}

}  // namespace sandbox::salesforce
