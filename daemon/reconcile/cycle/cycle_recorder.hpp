// daemon/reconcile/cycle/cycle_recorder.hpp — step 7 of the data flow: what a cycle leaves in the
// state store. Per CRM result (inside the outbox's transaction): the row's link to its record,
// its applied content hash, and an audit line per field written. After the apply: every other
// row's outcome, each item's content hash and status, and the review queue.
#pragma once

#include <cstdint>
#include <deque>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/crm.hpp"
#include "daemon/reconcile/apply/outbox.hpp"
#include "daemon/reconcile/cycle/folder_items.hpp"
#include "daemon/reconcile/plan/plan_model.hpp"
#include "daemon/state/audit_records.hpp"
#include "daemon/state/source_row_sets.hpp"
#include "daemon/state/sqlite_statement.hpp"

namespace crmsync::state {
class StateStore;
}

namespace crmsync::reconcile {

class CycleRecorder {
 public:
  CycleRecorder(state::StateStore& store, std::int64_t run_id, Plan& plan);

  // Works out, on a thread of its own, each written row's audited changes while the CRM answers:
  // they are planned, and results do not change them. Call before the first result; a second
  // call does nothing.
  void start_preparing_audit();
  // One operation's result: the decisions of its rows, in memory. persist() then writes what the
  // results of a chunk decided, inside the outbox's transaction.
  void on_result(std::size_t operation, const CrmOperationResult& result);
  void persist();
  // Everything else, in one transaction. `stopped`: the apply ended early (SIGTERM).
  void finish(const std::vector<SourceItem>& items, bool stopped);

 private:
  // Into the row's file's row set, in memory; returns its place there. `in_part`: persist()
  // appends it as part of its chunk; otherwise finish() writes the set.
  std::size_t save_row(const SourceRow& row, const RowPlan& decision, std::string_view status,
                       bool applied, bool in_part = false);
  // The audit records of the writes persist() is recording, in their order.
  void audit_writes();
  // Writes from which a chunk's audit records are inserted on a thread of their own.
  static constexpr std::size_t kAuditApartFrom = 4096;
  // A chunk's audit records, and the texts they view that nothing else holds.
  struct AuditBatch {
    std::vector<state::AuditRecord> records;
    std::deque<std::string> texts;  // never moves its strings: the records' views stay valid
    void add(std::string_view object, std::string_view crm_id, std::string_view changes_json,
             const Provenance& from);
  };
  // One audit record per record written: its written fields (field, old, new, policy) as JSON.
  void audit(AuditBatch& batch, std::size_t row, const std::string& object);
  static std::string changes_json(const RowPlan& decision);  // empty when nothing is written
  std::vector<std::string> prepare_audit() const;
  void queue_review(const SourceRow& row, const RowPlan& decision);
  void audit_removed(AuditBatch& batch, const RemovedRow& removed, const std::string& field,
                     const std::optional<std::string>& old_value,
                     const std::optional<std::string>& new_value);
  void on_flag_result(RemovedRow& removed, std::size_t index, const CrmOperationResult& result);
  // Rows deleted from their files: marked removed, unlinked by policy; a flag that could not be
  // written yet keeps its item pending, so the next cycle reads the file and tries again.
  void record_removed(std::set<std::int64_t>& pending_items);
  void forget_unlinked_rows(std::int64_t item_id);
  void withdraw_reviews_of_removed_rows(const std::vector<SourceItem>& items);

  state::StateStore& store_;
  std::int64_t run_id_;
  Plan& plan_;
  std::vector<bool> settled_;        // written by on_result
  std::vector<bool> retry_;          // its write failed for now: the file is read again next cycle
  std::vector<bool> removed_retry_;  // the same for flags of removed rows
  // What on_result decided and persist() writes.
  struct Write {
    enum class Kind { applied, not_applied, review, flagged } kind;
    std::size_t index;  // a plan row; for flagged, an entry of plan.removed
    std::size_t operation = 0;
    std::string_view status = {};
  };
  std::vector<Write> writes_;
  // The files' rows as this cycle leaves them: persist() appends what each chunk changed,
  // finish() writes each file's rows as one record.
  state::SourceRowSets row_sets_;
  // Its statements are prepared once: a cycle writes an audit record for every row it applies.
  // finish() finalizes them, so a recorder left to the exit holds nothing open on the connection.
  state::AuditRecords audit_records_;
  std::future<std::vector<std::string>> prepared_audit_;
  std::vector<std::string> audit_changes_;  // by plan row, once prepared
};

}  // namespace crmsync::reconcile
