#include "daemon/reconcile/match/matcher.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crmsync::reconcile {

std::string_view to_string(MatchKind kind) {
  switch (kind) {
    case MatchKind::linked:
      return "linked";
    case MatchKind::external_id:
      return "external_id";
    case MatchKind::email:
      return "email";
    case MatchKind::phone:
      return "phone";
    case MatchKind::fuzzy:
      return "fuzzy";
    case MatchKind::review:
      return "review";
    case MatchKind::none:
      return "none";
  }
  return "none";
}

MatchDecision Matcher::match(const PersonKeys& row,
                             const std::optional<std::string>& linked_id) const {
  if (linked_id) {
    if (const auto record = index_.find_id(*linked_id)) {
      return {MatchKind::linked,
              record,
              {},
              1.0,
              {fmt::format("linked to {} by an earlier sync", *linked_id)}};
    }
    // The linked record was deleted or merged in the CRM: match afresh rather than resurrect.
  }
  // The record the CRM files under the row's External ID value is the one an upsert would write:
  // found here, the row is an update decided field by field under the conflict policies.
  for (const auto& key : row.external_ids) {
    auto found = index_.find_external_id(key);
    if (!found.empty()) return exact(found, MatchKind::external_id, key, row);
  }
  if (!row.email.empty()) {
    auto found = index_.find_email(row.email);
    if (!found.empty()) return exact(found, MatchKind::email, "email " + row.email, row);
  }
  for (const auto& phone : row.phones) {
    auto found = index_.find_phone(phone);
    if (!found.empty()) return exact(found, MatchKind::phone, "phone " + phone, row);
  }
  return fuzzy(row);
}

MatchDecision Matcher::exact(const std::vector<RecordIndex>& found, MatchKind kind,
                             const std::string& what, const PersonKeys& row) const {
  if (found.size() == 1)
    return {kind,
            found.front(),
            {},
            1.0,
            {fmt::format("same {} as {}", what, index_.id(found.front()))}};
  // Several CRM records share the key (duplicates already in the CRM): prefer the one whose name
  // agrees, but only when exactly one does.
  std::vector<RecordIndex> agreeing;
  for (const auto r : found)
    if (similarity_score(view_of(row), index_.person(r), thresholds_.match) >= thresholds_.match)
      agreeing.push_back(r);
  if (agreeing.size() == 1)
    return {kind,
            agreeing.front(),
            {},
            1.0,
            {fmt::format("same {} as {} CRM records; only {} has the same name", what, found.size(),
                         index_.id(agreeing.front()))}};
  return {MatchKind::review,
          std::nullopt,
          found,
          1.0,
          {fmt::format("{} CRM records share {}", found.size(), what)}};
}

MatchDecision Matcher::fuzzy(const PersonKeys& row) const {
  // A block this large says nothing about identity (a very common name at a big company); it
  // would cost thousands of scores per row, so it is skipped and the other blocks decide.
  constexpr std::size_t kMaxBlock = 5000;
  std::vector<RecordIndex> candidates;
  for (const auto& key : blocking_keys(row)) {
    const auto block = index_.find_block(key, kMaxBlock);
    candidates.insert(candidates.end(), block.begin(), block.end());
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  const PersonView wanted = view_of(row);
  const auto wanted_signature = last_name_signature(row.last);
  struct Scored {
    RecordIndex record;
    double score;
  };
  std::vector<Scored> scored;
  for (const auto r : candidates) {
    // Most candidates share a sound, not a name: ruled out here without touching their records.
    if (!may_reach_floor(wanted_signature, index_.last_name_signature(r), thresholds_.review))
      continue;
    const double score = similarity_score(wanted, index_.person(r), thresholds_.review);
    if (score >= thresholds_.review) scored.push_back({r, score});
  }
  if (scored.empty()) return {};
  std::sort(scored.begin(), scored.end(),
            [](const Scored& a, const Scored& b) { return a.score > b.score; });
  const auto& best = scored.front();
  const auto evidence = score_person(wanted, index_.person(best.record));
  // "Equally good" within a hair: floating-point ties and near-ties are both a coin toss.
  const bool tie = scored.size() > 1 && scored[1].score >= best.score - 0.005;
  // Without a first name the last name alone speaks for identity: one letter off at the same
  // company is a colleague as often as a typo, so a person decides.
  const auto found = index_.person(best.record);
  const bool last_name_alone = (row.first.empty() || found.first.empty()) && row.last != found.last;
  if (best.score >= thresholds_.match && !tie && !last_name_alone)
    return {MatchKind::fuzzy, best.record, {}, best.score, evidence.reasons};

  MatchDecision review{MatchKind::review, std::nullopt, {}, best.score, evidence.reasons};
  for (const auto& s : scored)
    if (s.score >= best.score - 0.05) review.candidates.push_back(s.record);
  std::string why;
  if (tie)
    why = fmt::format("{} CRM records are equally close", review.candidates.size());
  else if (best.score >= thresholds_.match)
    why = fmt::format("no first name to confirm that '{}' is '{}'", row.last, found.last);
  else
    why = fmt::format("closest CRM record scores {:.2f}, below the match threshold {:.2f}",
                      best.score, thresholds_.match);
  review.evidence.insert(review.evidence.begin(), std::move(why));
  return review;
}

}  // namespace crmsync::reconcile
