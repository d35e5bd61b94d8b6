// daemon/reconcile/plan/planner.hpp — decides, for every source row, what the CRM should see:
// the record it is (stored link, External ID, email, phone, fuzzy), a new person (clustered with
// the other rows that are the same new person, in any rep's file), a rejection, or a question for a
// human; then the writes, per field by conflict policy, merged so each CRM record gets at most
// one write per cycle. Does no I/O of its own: the CRM's records come in the snapshot, users
// through the directory callback (one batched lookup per cycle).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "daemon/reconcile/index/crm_snapshot.hpp"
#include "daemon/reconcile/index/match_keys.hpp"
#include "daemon/reconcile/match/matcher.hpp"
#include "daemon/reconcile/plan/plan_model.hpp"

namespace crmsync::reconcile {

// How a rep's row may change a record another rep owns.
enum class OtherOwnerPolicy {
  fill_empty,  // only empty CRM fields are filled (the default: nobody's data is overwritten)
  as_mapped,   // the mapping's conflict policies apply as for the rep's own records
  review,      // every such update goes to the review queue
};

struct PlannerSettings {
  MatchThresholds thresholds;
  OtherOwnerPolicy other_owner = OtherOwnerPolicy::fill_empty;
  std::int64_t run_id = 0;  // makes idempotency keys unique per attempt
};

// rep (inbox folder name: email or CRM username) -> the CRM user id; reps with no user are absent.
using UserDirectory =
    std::function<std::map<std::string, std::string>(const std::set<std::string>& reps)>;
// A record's stored field values (from the index store), for diffs.
using RecordValues = std::function<std::optional<CrmValues>(const std::string& id)>;

class Planner {
 public:
  Planner(const CrmSnapshot& snapshot, const MatchKeyBuilder& keys, RecordValues values,
          UserDirectory users, PlannerSettings settings);

  // Fills plan.decisions (one per row) and plan.operations.
  void plan(Plan& plan);

 private:
  struct Candidate;  // a row's match outcome before clustering and merging
  // What needs no CRM: unchanged files' rows, rejects; the company key of the others (true).
  bool prepare_row(const SourceRow& row, RowPlan& decision, Candidate& candidate);
  // The CRM match of a prepared row, its other keys filled in: reads only the frozen snapshot,
  // so rows run in parallel.
  void match_row(const SourceRow& row, RowPlan& decision, Candidate& candidate) const;
  void cluster_new_rows(Plan& plan, std::vector<Candidate>& candidates);
  void build_operations(Plan& plan, std::vector<Candidate>& candidates);
  std::string company_of(const mappings::CrmRecord& record) const;

  const CrmSnapshot& snapshot_;
  const MatchKeyBuilder& keys_;
  RecordValues values_;
  UserDirectory users_;
  PlannerSettings settings_;
  Matcher matcher_;
};

// Plain words for a rejected row: the reason, and the column and value at fault.
std::string rejection_text(const mappings::Rejection& why);

}  // namespace crmsync::reconcile
