// daemon/reconcile/match/person_match.hpp — the fuzzy stage of matching: how alike a source row
// and a CRM contact are, with the evidence a person can read in `crmsync plan`. Exact keys (stored
// link, email, E.164 phone) are decided before this; this scores what remains.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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
  // external_id_key() of each External ID field the mappings upsert on and the record has a
  // value of (a row: its own mapping's, at most one). An identity: compared whole.
  std::vector<std::string> external_ids;
};

// The parts of PersonKeys that scoring reads, without owning them: the index scores straight
// from its arena, with no copies on the hot path.
struct PersonView {
  std::string_view first;
  std::string_view last;
  std::string_view email_domain;
  std::string_view company_key;
};

inline PersonView view_of(const PersonKeys& keys) {
  return {keys.first, keys.last, keys.email_domain, keys.company_key};
}

struct MatchEvidence {
  double score = 0;                  // 0..1
  std::vector<std::string> reasons;  // "last name 'smyth' ~ 'smith' (0.95)", ...
};

// Weights: last name 0.45, first name 0.30, company 0.15, email domain 0.10. A signal missing on
// either side is left out and the rest renormalised, so a row without a company is not punished
// for it, but a contradicting company or domain counts against the match.
MatchEvidence score_person(const PersonView& row, const PersonView& candidate,
                           const NicknameTable& nicknames = NicknameTable::builtin());
inline MatchEvidence score_person(const PersonKeys& row, const PersonKeys& candidate) {
  return score_person(view_of(row), view_of(candidate));
}

// The score alone, without the words: what the fuzzy search runs on every candidate; the
// evidence is built only for the few that are reported. A candidate that cannot reach `floor`
// scores 0 early, after one comparison.
double similarity_score(const PersonView& row, const PersonView& candidate, double floor = 0,
                        const NicknameTable& nicknames = NicknameTable::builtin());

// A 64-bit summary of a folded last name: its length, and how often (none, once, twice or more)
// each letter occurs. Names a typo apart differ in length by at most the typos allowed, and each
// edit moves at most two letters' counts by one, so comparing summaries rules out most candidates
// without reading their names (the matcher reads 8 bytes a record from one dense array instead
// of the index's records and text).
std::uint64_t last_name_signature(std::string_view folded_last);
// False only when similarity_score(row, candidate, floor) is certainly 0 for names with these
// signatures: their last names cannot agree, and `floor` is above the disagreeing-names cap.
bool may_reach_floor(std::uint64_t row_signature, std::uint64_t candidate_signature, double floor);

// Keys under which a person is filed so that likely matches meet without comparing all pairs:
// exact last name + first initial (nicknames that keep the initial), phonetic last name + the
// first two letters of the first name (typos in the last name), company + phonetic last name
// (nicknames that change the initial: Bob/Robert), email domain + first initial.
// The keys share one buffer: every row of a plan is filed under them, and as a vector of strings
// they were some eight allocations a row (800k of a 100k-row first sync). Views into the object
// itself, so it is neither copied nor moved; blocking_keys() returns it in place.
class BlockingKeys {
 public:
  explicit BlockingKeys(const PersonKeys& person);
  BlockingKeys(const BlockingKeys&) = delete;
  BlockingKeys& operator=(const BlockingKeys&) = delete;

  const std::string_view* begin() const { return keys_.data(); }
  const std::string_view* end() const { return keys_.data() + count_; }
  std::size_t size() const { return count_; }

 private:
  std::string text_;
  std::array<std::string_view, 4> keys_{};
  std::size_t count_ = 0;
};

inline BlockingKeys blocking_keys(const PersonKeys& person) {
  return BlockingKeys(person);
}

}  // namespace crmsync::reconcile
