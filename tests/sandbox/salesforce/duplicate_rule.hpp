// The org's Contact duplicate rule (off by default): exact Email, and/or fuzzy FirstName +
// LastName within the same Account. In alert mode a save that matches is refused with
// DUPLICATES_DETECTED unless the request carries Sforce-Duplicate-Rule-Header: allowSave=true;
// in block mode it is always refused (reference §2.3, §7.3).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/field_changes.hpp"
#include "salesforce/values.hpp"

namespace sandbox::salesforce {

struct Org;

struct DuplicateRule {
  bool email = false;  // exact, case-insensitive Email
  bool name = false;   // fuzzy FirstName + LastName, same AccountId
  bool block = false;  // allowSave:false; the request header cannot override it

  [[nodiscard]] bool enabled() const { return email || name; }
};

// "off", "email", "name", "email,name", optionally with ",block"; throws std::invalid_argument.
DuplicateRule parse_duplicate_rule(std::string_view text);
std::string duplicate_rule_json(const DuplicateRule& rule);

// Live records the save would duplicate, when the rule refuses it: empty when the rule is off,
// the object is not Contact, nothing matches, or `request` allows the save (nullptr: a Bulk row,
// which cannot send the header).
std::vector<std::string> refused_duplicates(Org& org, const ObjectDef& object,
                                            const Record* existing, const FieldChanges& changes,
                                            const http::Request* request);

// The per-record error of collections and Bulk results.
ApiError duplicates_detected();
// The HTTP 400 body of a single-record save, with duplicateResult and matchRecords.
http::Response duplicates_detected_response(const Org& org, const std::vector<std::string>& ids,
                                            const std::string& version);

}  // namespace sandbox::salesforce
