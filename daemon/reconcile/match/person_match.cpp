#include "daemon/reconcile/match/person_match.hpp"

#include <fmt/format.h>

#include "daemon/reconcile/match/name_similarity.hpp"

namespace crmsync::reconcile {

MatchEvidence score_person(const PersonKeys& row, const PersonKeys& candidate,
                           const NicknameTable& nicknames) {
  MatchEvidence evidence;
  double total = 0;
  double weight = 0;
  auto add = [&](double w, double similarity) {
    total += w * similarity;
    weight += w;
  };

  if (!row.last.empty() && !candidate.last.empty()) {
    const double similarity = jaro_winkler(row.last, candidate.last);
    add(0.45, similarity);
    evidence.reasons.push_back(
        similarity == 1.0
            ? fmt::format("same last name '{}'", row.last)
            : fmt::format("last name '{}' ~ '{}' ({:.2f})", row.last, candidate.last, similarity));
  }
  if (!row.first.empty() && !candidate.first.empty()) {
    double similarity = jaro_winkler(row.first, candidate.first);
    if (row.first == candidate.first) {
      evidence.reasons.push_back(fmt::format("same first name '{}'", row.first));
    } else if (nicknames.same_person(row.first, candidate.first)) {
      similarity = 0.97;  // a nickname is strong, but not as strong as the same name
      evidence.reasons.push_back(
          fmt::format("first name '{}' is a form of '{}'", row.first, candidate.first));
    } else if (row.first.size() == 1 || candidate.first.size() == 1) {
      similarity = row.first.front() == candidate.first.front() ? 0.9 : 0.0;
      evidence.reasons.push_back(fmt::format("initial '{}' vs '{}'", row.first, candidate.first));
    } else {
      evidence.reasons.push_back(
          fmt::format("first name '{}' ~ '{}' ({:.2f})", row.first, candidate.first, similarity));
    }
    add(0.30, similarity);
  }
  if (!row.company_key.empty() && !candidate.company_key.empty()) {
    const double similarity = jaro_winkler(row.company_key, candidate.company_key);
    const bool same = similarity >= 0.92;
    add(0.15, same ? 1.0 : 0.0);
    evidence.reasons.push_back(same ? fmt::format("same company '{}'", candidate.company_key)
                                    : fmt::format("different company '{}' vs '{}'", row.company_key,
                                                  candidate.company_key));
  }
  if (!row.email_domain.empty() && !candidate.email_domain.empty()) {
    const bool same = row.email_domain == candidate.email_domain;
    add(0.10, same ? 1.0 : 0.0);
    evidence.reasons.push_back(same ? fmt::format("same email domain '{}'", row.email_domain)
                                    : fmt::format("different email domain '{}' vs '{}'",
                                                  row.email_domain, candidate.email_domain));
  }
  // Names are the core of a fuzzy match: without both, there is nothing to be sure of.
  if (row.last.empty() || candidate.last.empty()) return evidence;
  evidence.score = weight > 0 ? total / weight : 0;
  return evidence;
}

std::vector<std::string> blocking_keys(const PersonKeys& person) {
  std::vector<std::string> keys;
  const char initial = person.first.empty() ? '_' : person.first.front();
  if (!person.last.empty()) keys.push_back("ph:" + soundex(person.last) + ":" + initial);
  // Nicknames change the initial (Bob/Robert): also file by the phonetic last name alone when
  // the company agrees.
  if (!person.last.empty() && !person.company_key.empty())
    keys.push_back("co:" + person.company_key + ":" + soundex(person.last));
  if (!person.email_domain.empty() && !person.first.empty())
    keys.push_back("dom:" + person.email_domain + ":" + initial);
  return keys;
}

}  // namespace crmsync::reconcile
