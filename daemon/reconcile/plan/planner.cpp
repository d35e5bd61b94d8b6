#include "daemon/reconcile/plan/planner.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "core/threads/in_two_halves.hpp"
#include "core/threads/side_by_side.hpp"
#include "daemon/reconcile/match/union_find.hpp"
#include "daemon/reconcile/plan/operation_builder.hpp"
#include "daemon/reconcile/plan/shared_key_groups.hpp"

namespace crmsync::reconcile {

std::string_view to_string(FieldAction action) noexcept {
  switch (action) {
    case FieldAction::write:
      return "write";
    case FieldAction::keep:
      return "keep";
    case FieldAction::unchanged:
      return "unchanged";
  }
  return "unchanged";
}

std::string_view to_string(RowAction action) noexcept {
  switch (action) {
    case RowAction::create:
      return "create";
    case RowAction::update:
      return "update";
    case RowAction::unchanged:
      return "unchanged";
    case RowAction::reject:
      return "reject";
    case RowAction::review:
      return "review";
  }
  return "unchanged";
}

std::string rejection_text(const mappings::Rejection& why) {
  std::string text = why.reason;
  if (why.column != 0 && !why.column_name.empty())
    text += fmt::format(" (column {} '{}', value '{}')", why.column, why.column_name, why.value);
  else if (why.column != 0)
    text += fmt::format(" (column {})", why.column);
  return text;
}

struct Planner::Candidate {
  enum class Kind { decided, existing, fresh };
  Kind kind = Kind::decided;
  PersonKeys keys;
  std::string crm_id;
  std::size_t cluster_root = 0;
};

namespace {
constexpr std::size_t kMaxClusterBlock = 1000;
// Rows from which the plan's per-row memory is faulted in on two threads.
constexpr std::size_t kRowsWorthAThread = 4096;
// Blocks are scored on two threads from this many: each can hold up to half a million pairs, so
// far fewer blocks than rows are worth a thread.
constexpr std::size_t kBlocksWorthAThread = 64;

}  // namespace

Planner::Planner(const CrmSnapshot& snapshot, const MatchKeyBuilder& keys, RecordValues values,
                 UserDirectory users, PlannerSettings settings)
    : snapshot_(snapshot),
      keys_(keys),
      values_(std::move(values)),
      users_(std::move(users)),
      settings_(settings),
      matcher_(snapshot.contacts, settings.thresholds) {}

std::string Planner::company_of(const mappings::CrmRecord& record) const {
  const auto* account = reference_to(record, "Account");
  return account ? account->value : std::string();
}

void Planner::plan(Plan& plan) {
  // A decision and a candidate a row: for 100k rows, 46 MB of memory touched for the first time
  // (23 ms on one thread, 13 on two).
  std::vector<Candidate> candidates;
  side_by_side(
      plan.rows.size() >= kRowsWorthAThread, [&] { plan.decisions.assign(plan.rows.size(), {}); },
      [&] { candidates.resize(plan.rows.size()); });
  // Company keys on this thread (their transform caches what it folds); the other keys and the
  // matches in halves.
  std::vector<std::size_t> matching;
  for (std::size_t i = 0; i < plan.rows.size(); ++i)
    if (prepare_row(plan.rows[i], plan.decisions[i], candidates[i])) matching.push_back(i);
  in_two_halves(matching.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t n = begin; n < end; ++n) {
      const auto i = matching[n];
      keys_.person_keys(*plan.rows[i].mapped.primary(), candidates[i].keys);
      match_row(plan.rows[i], plan.decisions[i], candidates[i]);
    }
  });
  cluster_new_rows(plan, candidates);
  build_operations(plan, candidates);
}

bool Planner::prepare_row(const SourceRow& row, RowPlan& decision, Candidate& candidate) {
  if (row.from_unchanged_file) {
    // The file is byte for byte what was last synced: its rows cost nothing this cycle.
    decision.crm_id = row.linked_id.value_or("");
    decision.reason = row.stored_reason;
    if (row.stored_status == "rejected")
      decision.action = RowAction::reject;
    else if (row.stored_status == "review")
      decision.action = RowAction::review;
    else
      decision.action = RowAction::unchanged;
    return false;
  }
  const auto* primary = row.mapped.primary();
  if (row.mapped.outcome == mappings::MappedRow::Outcome::rejected || primary == nullptr) {
    decision.action = RowAction::reject;
    decision.reason =
        row.mapped.rejection ? rejection_text(*row.mapped.rejection) : "the row holds no record";
    return false;
  }
  candidate.keys.company_key = keys_.company_key(company_of(*primary));
  return true;
}

void Planner::match_row(const SourceRow& row, RowPlan& decision, Candidate& candidate) const {
  const auto link = row.reviewed_id ? row.reviewed_id : row.linked_id;
  auto match = matcher_.match(candidate.keys, link);
  decision.match = std::string(to_string(match.kind));
  decision.score = match.score;
  decision.evidence = match.evidence;
  if (row.reviewed_id && match.kind == MatchKind::linked) {
    decision.match = "reviewed";
    decision.evidence = {fmt::format("a reviewer chose {}", *row.reviewed_id)};
  }
  switch (match.kind) {
    case MatchKind::linked:
    case MatchKind::external_id:
    case MatchKind::email:
    case MatchKind::phone:
    case MatchKind::fuzzy:
      candidate.kind = Candidate::Kind::existing;
      candidate.crm_id = std::string(snapshot_.contacts.id(*match.record));
      decision.crm_id = candidate.crm_id;
      return;
    case MatchKind::review:
      if (row.review_rejected) {
        decision.match = "none";
        decision.evidence.insert(decision.evidence.begin(),
                                 "a reviewer said none of the candidates is this person");
        candidate.kind = Candidate::Kind::fresh;
        return;
      }
      decision.action = RowAction::review;
      decision.reason = match.evidence.empty() ? "uncertain match" : match.evidence.front();
      for (const auto r : match.candidates)
        decision.candidates.emplace_back(snapshot_.contacts.id(r));
      return;
    case MatchKind::none:
      candidate.kind = Candidate::Kind::fresh;
      return;
  }
}

// Rows that are the same new person — repeated in one file, or in several reps' files — are
// joined (union-find over the matcher's own evidence: email, phone, fuzzy score) so that they
// become exactly one new record.
void Planner::cluster_new_rows(Plan& plan, std::vector<Candidate>& candidates) {
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].kind == Candidate::Kind::fresh) fresh.push_back(i);
  const auto keys_of = [&](std::size_t n) -> const PersonKeys& {
    return candidates[fresh[n]].keys;
  };
  const auto groups = group_by_shared_keys(fresh.size(), keys_of, kMaxClusterBlock);
  // A block's look-alikes, scored in halves on two threads. A pair counts when either row scores
  // the other at the threshold, as when each row looked up the other.
  std::vector<std::pair<std::size_t, std::size_t>> first_pairs, second_pairs;
  const auto threshold = settings_.thresholds.match;
  in_two_halves(
      groups.blocks.size(),
      [&](std::size_t begin, std::size_t end) {
        auto& pairs = begin == 0 ? first_pairs : second_pairs;
        std::vector<std::uint64_t> signatures;
        for (std::size_t b = begin; b < end; ++b) {
          const auto& block = groups.blocks[b];
          signatures.clear();
          for (const auto row : block)
            signatures.push_back(last_name_signature(keys_of(row).last));
          for (std::size_t x = 0; x < block.size(); ++x)
            for (std::size_t y = x + 1; y < block.size(); ++y) {
              if (!may_reach_floor(signatures[x], signatures[y], threshold)) continue;
              const auto one = view_of(keys_of(block[x]));
              const auto other = view_of(keys_of(block[y]));
              if (similarity_score(one, other, threshold) >= threshold
                  || similarity_score(other, one, threshold) >= threshold)
                pairs.emplace_back(block[x], block[y]);
            }
        }
      },
      kBlocksWorthAThread);
  UnionFind sets(fresh.size());
  for (const auto& group : groups.same_key)
    for (const auto row : group)
      sets.unite(group.front(), row);
  for (const auto& pairs : {&first_pairs, &second_pairs})
    for (const auto& [a, b] : *pairs)
      sets.unite(a, b);
  // Clusters are numbered in row order: by root, a slot a row.
  std::vector<std::size_t> numbers(fresh.size(), 0);
  std::size_t clusters = 0;
  for (std::size_t n = 0; n < fresh.size(); ++n) {
    const auto root = sets.find(n);
    if (numbers[root] == 0) numbers[root] = ++clusters;
    candidates[fresh[n]].cluster_root = fresh[root];
    plan.decisions[fresh[n]].cluster = fmt::format("new-{}", numbers[root]);
  }
}

void Planner::build_operations(Plan& plan, std::vector<Candidate>& candidates) {
  // One batched user lookup for every rep whose rows write anything.
  std::set<std::string> reps;
  std::size_t writing = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].kind != Candidate::Kind::decided) {
      reps.insert(plan.rows[i].mapped.from.owner);
      ++writing;
    }
  // At most an operation per writing row (accounts aside): grown by doubling, a 100k-operation
  // plan moved every operation some 17 times and ended a third larger than it needed.
  plan.operations.reserve(plan.operations.size() + writing);
  OperationBuilder builder(plan, snapshot_, keys_, values_, settings_,
                           reps.empty() ? std::map<std::string, std::string>() : users_(reps));
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].kind == Candidate::Kind::fresh)
      builder.add_create(i, candidates[i].cluster_root);
  in_two_halves(builder.create_count(),
                [&](std::size_t begin, std::size_t end) { builder.fill_creates(begin, end); });
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].kind == Candidate::Kind::existing)
      builder.add_update(i, candidates[i].crm_id);
  builder.order_for_sending();
}

}  // namespace crmsync::reconcile
