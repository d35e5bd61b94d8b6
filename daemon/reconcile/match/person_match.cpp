#include "daemon/reconcile/match/person_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdlib>

#include "daemon/reconcile/match/name_similarity.hpp"

namespace crmsync::reconcile {
namespace {

// Company, domain and a shared first name can add up to a high weighted score for two different
// people at one company ("Mateo Anderson" and "Mateo Sanchez" at Parker). Identity needs both names
// to agree: below these similarities the pair is not one person, whatever else agrees.
constexpr double kLastNameFloor = 0.80;
constexpr double kDisagreeingNamesCap = 0.5;

int typos_allowed(std::string_view a, std::string_view b) {
  return std::min(a.size(), b.size()) >= 8 ? 2 : 1;
}

// Last names agree when equal, or apart by a typo: one edit, two in a long name. Jaro-Winkler
// alone rates "Craneson"/"Craneford" 0.88 — two families, not a slip of the finger.
bool last_names_agree(std::string_view a, std::string_view b, double similarity) {
  if (similarity < kLastNameFloor) return false;
  if (a == b) return true;
  const int allowed = typos_allowed(a, b);
  return typo_distance(a, b, allowed) <= allowed;
}

// First names agree when equal, a nickname of each other, an initial that fits, or a typo apart
// ("Jon"/"John"). "Nicholas" and "Thomas" share letters, not a person.
bool first_names_agree(std::string_view a, std::string_view b, const NicknameTable& nicknames) {
  if (a == b || nicknames.same_person(a, b)) return true;
  if (a.size() == 1 || b.size() == 1) return a.front() == b.front();
  const int allowed = typos_allowed(a, b);
  return typo_distance(a, b, allowed) <= allowed;
}

}  // namespace

MatchEvidence score_person(const PersonView& row, const PersonView& candidate,
                           const NicknameTable& nicknames) {
  MatchEvidence evidence;
  double total = 0;
  double weight = 0;
  auto add = [&](double w, double similarity) {
    total += w * similarity;
    weight += w;
  };

  double last_similarity = 1.0;
  bool first_agrees = true;
  if (!row.last.empty() && !candidate.last.empty()) {
    const double similarity = jaro_winkler(row.last, candidate.last);
    last_similarity = similarity;
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
    first_agrees = first_names_agree(row.first, candidate.first, nicknames);
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
  const bool last_agrees = row.last.empty() || candidate.last.empty()
                           || last_names_agree(row.last, candidate.last, last_similarity);
  if (!last_agrees || !first_agrees) {
    evidence.score = std::min(evidence.score, kDisagreeingNamesCap);
    evidence.reasons.push_back("the names disagree: not the same person");
  }
  return evidence;
}

double similarity_score(const PersonView& row, const PersonView& candidate, double floor,
                        const NicknameTable& nicknames) {
  if (row.last.empty() || candidate.last.empty()) return 0;
  // Disagreeing names cap the score below every threshold: when the caller's floor is above the
  // cap, the answer is "below floor" already. The bounded typo count goes first: it rules out
  // most candidates before the dearer Jaro-Winkler is computed.
  const bool may_stop = floor > kDisagreeingNamesCap;
  bool names_disagree =
      row.last != candidate.last
      && typo_distance(row.last, candidate.last, typos_allowed(row.last, candidate.last))
             > typos_allowed(row.last, candidate.last);
  if (names_disagree && may_stop) return 0;
  const double last_similarity = jaro_winkler(row.last, candidate.last);
  names_disagree = names_disagree || last_similarity < kLastNameFloor;
  if (names_disagree && may_stop) return 0;
  double total = 0.45 * last_similarity;
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
    if (!first_names_agree(row.first, candidate.first, nicknames)) {
      if (may_stop) return 0;
      names_disagree = true;
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
  return names_disagree ? std::min(total / weight, kDisagreeingNamesCap) : total / weight;
}

namespace {
constexpr int kClasses = 27;  // a-z, and one class for anything else
constexpr int kLengthShift = 59;
constexpr std::uint64_t kCountBits = (std::uint64_t{1} << (2 * kClasses)) - 1;
}  // namespace

std::uint64_t last_name_signature(std::string_view folded_last) {
  // Per letter class two bits, "at least once" and "at least twice": the distance between two
  // names' counts (capped at two) is then the number of bits that differ.
  std::uint64_t once = 0, twice = 0;
  for (const char c : folded_last) {
    const std::uint64_t bit = std::uint64_t{1} << ((c >= 'a' && c <= 'z') ? c - 'a' : 26);
    twice |= once & bit;
    once |= bit;
  }
  const auto length = static_cast<std::uint64_t>(std::min<std::size_t>(folded_last.size(), 31));
  return length << kLengthShift | twice << kClasses | once;
}

bool may_reach_floor(std::uint64_t row_signature, std::uint64_t candidate_signature, double floor) {
  if (floor <= kDisagreeingNamesCap) return true;
  const int row_length = static_cast<int>(row_signature >> kLengthShift);
  const int candidate_length = static_cast<int>(candidate_signature >> kLengthShift);
  if (row_length == 0 || candidate_length == 0) return false;  // no last name: scores 0
  // Lengths are capped at 31, so a capped pair can only be let through, never ruled out wrongly.
  const int allowed = std::min(row_length, candidate_length) >= 8 ? 2 : 1;
  if (std::abs(row_length - candidate_length) > allowed) return false;
  // An edit moves at most two letter counts by one (a swap none), and capping only narrows gaps.
  const int counts_apart = std::popcount((row_signature ^ candidate_signature) & kCountBits);
  return counts_apart <= 2 * allowed;
}

BlockingKeys::BlockingKeys(const PersonKeys& person) {
  if (person.last.empty()) return;
  const std::string_view first = person.first;
  const std::string_view initial = first.empty() ? "_" : first.substr(0, 1);
  const std::string_view first_two = first.empty() ? "_" : first.substr(0, 2);
  const std::string phonetic = soundex(person.last);
  // Each key's parts. The last two need a subject (a company, an email domain).
  const std::array<std::array<std::string_view, 3>, 4> parts{{
      {"ln:", person.last, initial},
      {"ph:", phonetic, first_two},
      {"co:", person.company_key, phonetic},
      {"dom:", person.email_domain, initial},
  }};
  std::size_t length = 0;
  for (const auto& [prefix, subject, suffix] : parts)
    length += prefix.size() + subject.size() + 1 + suffix.size();
  text_.reserve(length);
  std::array<std::size_t, 4> starts{};
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto& [prefix, subject, suffix] = parts[k];
    if (k >= 2 && subject.empty()) continue;
    starts[count_++] = text_.size();
    text_.append(prefix).append(subject).append(1, ':').append(suffix);
  }
  // Views only once the buffer is written: it does not move after.
  for (std::size_t k = 0; k < count_; ++k) {
    const auto end = k + 1 < count_ ? starts[k + 1] : text_.size();
    keys_[k] = std::string_view(text_).substr(starts[k], end - starts[k]);
  }
}

}  // namespace crmsync::reconcile
