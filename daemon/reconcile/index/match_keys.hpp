// daemon/reconcile/index/match_keys.hpp — the one place that turns a person into match keys,
// from either side: a CRM contact's raw values (phones as anyone typed them into the CRM) and a
// mapped source row (already normalised by its mapping). Both sides must fold alike, or an
// exact key would never meet its twin.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/crm.hpp"
#include "daemon/reconcile/match/person_match.hpp"
#include "mappings/crm_record.hpp"

namespace crmsync::reconcile {

// The fields a contact's match keys come from (query them when loading the index).
inline constexpr std::string_view kFirstNameField = "FirstName";
inline constexpr std::string_view kLastNameField = "LastName";
inline constexpr std::string_view kEmailField = "Email";
inline constexpr std::string_view kPhoneFields[] = {"Phone", "MobilePhone"};
inline constexpr std::string_view kAccountNameField = "Account.Name";

// True for the fields above: what from_crm() reads, and all a record needs to be found by.
bool is_match_key_field(std::string_view field) noexcept;

// The region of CRM phone numbers written without a country code, unless configured.
inline constexpr const char* kDefaultPhoneRegion = "US";

class MatchKeyBuilder {
 public:
  // `default_region`: ISO 3166 region for phone numbers written without a country code.
  // `external_id_fields`: the External ID fields the mappings upsert on; a CRM record's values of
  // them are keys too (PersonKeys::external_ids).
  explicit MatchKeyBuilder(std::string default_region = kDefaultPhoneRegion,
                           std::vector<std::string> external_id_fields = {});
  ~MatchKeyBuilder();
  MatchKeyBuilder(const MatchKeyBuilder&) = delete;
  MatchKeyBuilder& operator=(const MatchKeyBuilder&) = delete;

  PersonKeys from_crm(const CrmValues& values) const;
  // `company`: the row's company name as written (the Account lookup's value), may be empty.
  PersonKeys from_row(const mappings::CrmRecord& record, std::string_view company) const;
  // from_row's keys other than the company key: names, email, phones and external id. Unlike
  // company_key(), whose transform caches what it folds, safe to call from several threads at once.
  void person_keys(const mappings::CrmRecord& record, PersonKeys& keys) const;

  // "acme" for "ACME Corp.", the key Accounts are looked up and matched by.
  std::string company_key(std::string_view company) const;
  // E.164, or empty when the text is no phone number.
  std::string e164(std::string_view phone) const;

 private:
  std::string region_;
  std::vector<std::string> external_id_fields_;
  struct Impl;
  Impl* impl_;
};

std::string lower_ascii(std::string_view text);
// The key an External ID value is found by: "Crmsync_Key__c=k-9" (field names hold no '=').
// ASCII case is folded, as Salesforce compares a text External ID unless the field is marked
// case-sensitive; there, two records a case apart both match and the row goes to review rather
// than onto the wrong one.
std::string external_id_key(std::string_view field, std::string_view value);

}  // namespace crmsync::reconcile
