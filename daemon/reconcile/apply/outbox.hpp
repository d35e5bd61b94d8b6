// daemon/reconcile/apply/outbox.hpp — apply safety. Each chunk's operations are written to the
// outbox as `sent`, with their payloads, in their own transaction just before the CRM call, and
// their results are recorded (`done` / `failed`, with the links the caller writes) in one
// transaction after. An operation not yet in the outbox was never sent: the next plan makes it
// again from the source rows. A kill -9 at any instant therefore leaves each operation in a state
// that says what may have happened, and `recover()` settles those before the next plan:
//   pending — written by an older crmsync that staged every operation first: dropped;
//   sent    — may have reached the CRM: a create is looked for in the refreshed index by its
//             match keys (found: linked, not created twice); an update is planned again, which
//             is harmless (the diff of an applied update is empty).
// A chunk sent as one Bulk job is one entry holding all its operations (its failures then get an
// entry each); recovery treats each operation in it as above. Its payload_json is gzipped JSON (a
// BLOB: `zcat` reads it), its count of operations in result_json; an older crmsync's job entries
// are JSON text, and are read as such.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "connectors/crm.hpp"
#include "daemon/reconcile/index/crm_snapshot.hpp"
#include "daemon/reconcile/plan/plan_model.hpp"
#include "daemon/state/sqlite_statement.hpp"

namespace crmsync::state {
class StateStore;
}

namespace crmsync::reconcile {

struct RecoveryReport {
  int dropped = 0;  // pending operations never sent
  int linked = 0;   // sent creates found in the CRM and linked
  int replan = 0;   // sent operations planned again
};

// What the CRM answered, per plan operation. A chunk's answers are kept as the connector returned
// them: a slot of a full answer for each of a 100k-operation plan's operations was 17 MB made
// before its Bulk job started, and 100k answers moved into it once the job was done.
class ApplyReport {
 public:
  explicit ApplyReport(std::size_t operations = 0) : by_operation_(operations, nullptr) {}
  ApplyReport(ApplyReport&&) = default;
  ApplyReport& operator=(ApplyReport&&) = default;
  ApplyReport(const ApplyReport&) = delete;  // a copy would point into the original's answers
  ApplyReport& operator=(const ApplyReport&) = delete;

  // The answer for plan operation `operation`; null when it was not sent.
  const CrmOperationResult* result(std::size_t operation) const { return by_operation_[operation]; }
  // A chunk's answers: `results[n]` answers plan operation `operations[n]`.
  void add(std::span<const std::size_t> operations, std::vector<CrmOperationResult> results);

  bool stopped = false;  // the stop flag ended the apply early

 private:
  std::vector<std::vector<CrmOperationResult>> chunks_;  // a vector's elements stay where they are
  std::vector<const CrmOperationResult*> by_operation_;
};

class Outbox {
 public:
  Outbox(state::StateStore& store, std::int64_t run_id) : store_(store), run_id_(run_id) {}

  RecoveryReport recover(const CrmSnapshot& snapshot, const MatchKeyBuilder& keys);

  // Called inside the transaction that records a chunk's results, once per operation, so links,
  // audit and the outbox state commit together.
  using Recorder = std::function<void(std::size_t operation, const CrmOperationResult& result)>;
  // The same in two steps: `decide` per operation of a chunk, then `persist` once, in that
  // transaction. Between them, after the last chunk, `all_decided`: every result is in, and work
  // that only reads the decisions (the reports) may run beside the last writes.
  // And `sending`, once, as the first chunk goes out (its entry staged, a job's upload done):
  // the wait for the CRM's answer is a time for work that only reads the plan.
  struct Listener {
    Recorder decide;
    std::function<void()> persist = [] {};
    std::function<void()> all_decided = [] {};
    std::function<void()> sending = [] {};
  };

  ApplyReport apply(Plan& plan, Crm& crm, const Recorder& record, const std::atomic<bool>* stop) {
    return apply(plan, crm, Listener{record}, stop);
  }
  ApplyReport apply(Plan& plan, Crm& crm, const Listener& listener, const std::atomic<bool>* stop);

  // Whether applying `plan` sends a Bulk job: a run of operations of one object and kind at
  // least `bulk_threshold` long (0: the connector has no bulk path).
  static bool sends_a_job(const Plan& plan, std::size_t bulk_threshold);

  std::int64_t pending_count();
  // Operations a crashed run may have sent: recover() needs the CRM snapshot only for these.
  bool has_sent();

 private:
  // One outbox row; the caller holds the transaction.
  struct Entry {
    std::string_view object;
    CrmOperation::Kind kind;
    std::string_view key, crm_id, payload, state, result;  // empty crm_id, result: NULL
    std::string_view now;
    bool gzipped = false;  // the payload's JSON, gzipped: stored as a BLOB
  };
  std::int64_t insert_entry(const Entry& entry);
  std::vector<std::int64_t> stage_sent(const Plan& plan, std::span<const std::size_t> operations);
  // `lent`: the operations' CRM side, lent to the connector while this runs on another thread.
  std::int64_t stage_job(const Plan& plan, std::span<const std::size_t> operations,
                         std::span<const CrmOperation> lent);
  void record_job_failure(const PlannedOperation& op, const Plan& plan,
                          const CrmOperationResult& result, const std::string& now);
  void settle_successes(std::span<const std::int64_t> ids,
                        std::span<const CrmOperationResult> results, const std::string& now);
  void send_phase(Plan& plan, Crm& crm, const std::vector<std::size_t>& operations,
                  const Listener& listener, bool last_phase, const std::atomic<bool>* stop,
                  ApplyReport& report);

  state::StateStore& store_;
  std::int64_t run_id_;
  int chunks_sent_ = 0;
  bool sending_told_ = false;  // this apply's listener has heard `sending`
  std::optional<state::Statement> insert_;
};

// What an operation carries in the outbox: enough to find its record again after a crash.
std::string operation_payload_json(const PlannedOperation& op, const Plan& plan);

}  // namespace crmsync::reconcile
