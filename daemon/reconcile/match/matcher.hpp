// daemon/reconcile/match/matcher.hpp — decides which CRM record a source row is, in the order of
// DESIGN.md: the stored link, then the External ID value a mapping upserts on, then exact
// normalised email, then E.164 phone, then the fuzzy score.
// Never guesses: two equally good candidates, or a score between the thresholds, go to review.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "daemon/reconcile/index/crm_index.hpp"
#include "daemon/reconcile/match/person_match.hpp"

namespace crmsync::reconcile {

struct MatchThresholds {
  double match = 0.92;   // at or above: the same person
  double review = 0.80;  // at or above (and below match): ask a human
};

enum class MatchKind { linked, external_id, email, phone, fuzzy, review, none };

std::string_view to_string(MatchKind kind);

struct MatchDecision {
  MatchKind kind = MatchKind::none;
  std::optional<RecordIndex> record;    // for linked / external_id / email / phone / fuzzy
  std::vector<RecordIndex> candidates;  // for review: the records a human chooses between
  double score = 0;
  std::vector<std::string> evidence;  // why, in words, for plan and the review queue
};

class Matcher {
 public:
  Matcher(const CrmIndex& index, MatchThresholds thresholds)
      : index_(index), thresholds_(thresholds) {}

  // `linked_id`: the CRM id this row was linked to by an earlier sync, if any.
  MatchDecision match(const PersonKeys& row, const std::optional<std::string>& linked_id) const;

 private:
  MatchDecision exact(const std::vector<RecordIndex>& found, MatchKind kind,
                      const std::string& what, const PersonKeys& row) const;
  MatchDecision fuzzy(const PersonKeys& row) const;

  const CrmIndex& index_;
  MatchThresholds thresholds_;
};

}  // namespace crmsync::reconcile
