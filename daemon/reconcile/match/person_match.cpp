#include "daemon/reconcile/match/person_match.hpp"

#include <fmt/format.h>

#include "daemon/reconcile/match/name_similarity.hpp"

namespace crmsync::reconcile {

MatchEvidence score_person(const PersonView& row, const PersonView& candidate,
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

double similarity_score(const PersonView& row, const PersonView& candidate, double floor,
                        const NicknameTable& nicknames) {
  if (row.last.empty() || candidate.last.empty()) return 0;
  double total = 0.45 * jaro_winkler(row.last, candidate.last);
  double weight = 0.45;
  // The most the other signals could add: when even that cannot reach `floor`, stop here. The
  // result is only used as "below floor", so skipping the rest changes no decision.
  const bool has_first = !row.first.empty() && !candidate.first.empty();
  const bool has_company = !row.company_key.empty() && !candidate.company_key.empty();
  const bool has_domain = !row.email_domain.empty() && !candidate.email_domain.empty();
  const double rest = (has_first ? 0.30 : 0) + (has_company ? 0.15 : 0) + (has_domain ? 0.10 : 0);
  if ((total + rest) / (weight + rest) < floor) return 0;
  if (!row.first.empty() && !candidate.first.empty()) {
    double similarity = 0;
    if (row.first == candidate.first) {
      similarity = 1.0;
    } else if (nicknames.same_person(row.first, candidate.first)) {
      similarity = 0.97;
    } else if (row.first.size() == 1 || candidate.first.size() == 1) {
      similarity = row.first.front() == candidate.first.front() ? 0.9 : 0.0;
    } else {
      similarity = jaro_winkler(row.first, candidate.first);
    }
    total += 0.30 * similarity;
    weight += 0.30;
  }
  if (!row.company_key.empty() && !candidate.company_key.empty()) {
    total += 0.15 * (jaro_winkler(row.company_key, candidate.company_key) >= 0.92 ? 1.0 : 0.0);
    weight += 0.15;
  }
  if (!row.email_domain.empty() && !candidate.email_domain.empty()) {
    total += 0.10 * (row.email_domain == candidate.email_domain ? 1.0 : 0.0);
    weight += 0.10;
  }
  return total / weight;
}

std::vector<std::string> blocking_keys(const PersonKeys& person) {
  std::vector<std::string> keys;
  if (person.last.empty()) return keys;
  const std::string initial = person.first.empty() ? "_" : person.first.substr(0, 1);
  const std::string phonetic = soundex(person.last);
  keys.push_back("ln:" + person.last + ":" + initial);
  keys.push_back("ph:" + phonetic + ":" + (person.first.empty() ? "_" : person.first.substr(0, 2)));
  if (!person.company_key.empty()) keys.push_back("co:" + person.company_key + ":" + phonetic);
  if (!person.email_domain.empty()) keys.push_back("dom:" + person.email_domain + ":" + initial);
  return keys;
}

}  // namespace crmsync::reconcile
