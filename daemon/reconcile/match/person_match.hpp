// daemon/reconcile/match/person_match.hpp — the fuzzy stage of matching: how alike a source row
// and a CRM contact are, with the evidence a person can read in `crmsync plan`. Exact keys (stored
// link, email, E.164 phone) are decided before this; this scores what remains.
#pragma once

#include <string>
#include <vector>

#include "daemon/reconcile/match/nicknames.hpp"

namespace crmsync::reconcile {

// The match keys of one person, normalised once (fold_name, lower-case email, E.164 phones,
// company_key) so scoring compares plain strings.
struct PersonKeys {
  std::string first;
  std::string last;
  std::string email;
  std::string email_domain;
  std::vector<std::string> phones;
  std::string company_key;
};

struct MatchEvidence {
  double score = 0;                  // 0..1
  std::vector<std::string> reasons;  // "last name 'smyth' ~ 'smith' (0.95)", ...
};

// Weights: last name 0.45, first name 0.30, company 0.15, email domain 0.10. A signal missing on
// either side is left out and the rest renormalised, so a row without a company is not punished
// for it, but a contradicting company or domain counts against the match.
MatchEvidence score_person(const PersonKeys& row, const PersonKeys& candidate,
                           const NicknameTable& nicknames = NicknameTable::builtin());

// Keys under which a person is filed so that likely matches meet without comparing all pairs:
// phonetic last name + first initial, first initial + email domain, company + last initial.
std::vector<std::string> blocking_keys(const PersonKeys& person);

}  // namespace crmsync::reconcile
