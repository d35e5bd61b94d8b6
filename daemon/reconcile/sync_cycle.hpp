// daemon/reconcile/sync_cycle.hpp — one full cycle of DESIGN.md's data flow: refresh the CRM
// index, read changed source items, map, match, cluster, plan, and (unless a dry run) apply
// through the outbox, then record links, audit, the run and the reps' reports. `crmsync plan`,
// `crmsync sync --once` and the daemon's scheduler all run exactly this.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "connectors/crm.hpp"

namespace crmsync {
struct Config;
namespace state {
class StateStore;
}
}  // namespace crmsync

namespace crmsync::reconcile {

struct CycleOptions {
  bool apply = true;          // false: a dry run (`plan`), nothing is written to the CRM
  std::string only_source;    // empty: every configured source
  bool write_reports = true;  // the reps' report files (never in a dry run)
  // Set from another thread (SIGTERM): the cycle stops taking new work and parks what is
  // planned but unsent in the outbox for the next start.
  const std::atomic<bool>* stop = nullptr;
  // Which document of the plan to render into CycleResult: the service needs neither, and a
  // 100k-row plan costs more to render than to plan when nothing changed.
  enum class Render { none, text, json };
  Render render = Render::none;
  // Render::json: when set, the document is written here as it is rendered (a 100k-row plan is
  // 80 MB of JSON) instead of into CycleResult::json.
  std::ostream* json_out = nullptr;
  // The descriptor json_out writes to, when it has one (standard output): a sync writes the
  // document's items there while it records its results, and json_out the rest at the end. So
  // json_out must hold nothing unwritten when the cycle starts. A cycle that fails after that
  // leaves the document cut short.
  int json_fd = -1;
  // The process exits right after this cycle (`plan`, `sync --once`): the plan, the files' rows
  // and the CRM index are left to the exit rather than freed an allocation at a time.
  bool process_exits_after = false;
};

// Per configured source, what the cycle saw: the figures /metrics publishes.
struct SourceCounts {
  std::int64_t files_read = 0;
  std::int64_t files_unchanged = 0;
  std::int64_t files_failed = 0;  // could not be read at all (reason in the report)
  std::int64_t rows_read = 0;
  std::int64_t rows_mapped = 0;
  std::int64_t rows_rejected = 0;
};

struct CycleSummary {
  std::int64_t run_id = 0;
  std::string status;  // completed | failed | parked
  // Source rows by outcome (several rows of one new person each count as created).
  std::int64_t created = 0, updated = 0, unchanged = 0, rejected = 0, review = 0;
  std::int64_t removed = 0;    // rows deleted from mirrored files since the last cycle
  std::int64_t api_calls = 0;  // calls this cycle spent
  // CRM writes by object, kind and result: "Contact.create.ok", "Account.create.failed",
  // "Contact.update.unsent" (stopped), "Contact.create.planned" (dry run).
  std::map<std::string, std::int64_t> operations;
  std::map<std::string, SourceCounts> sources;
  std::int64_t outbox_pending = 0;  // after the cycle
  std::int64_t review_open = 0;     // after the cycle
  double seconds = 0;
};

struct CycleResult {
  CycleSummary summary;
  std::string json;  // Render::json: the plan document of DESIGN.md's command-line contract
  std::string text;  // Render::text: the same for people: what happens to each row that changed
};

// Runs one cycle. Throws crmsync::Error for what stops a whole cycle (config, auth, CRM outage);
// a bad file or row never throws: it is rejected with its reason and the rest goes on.
CycleResult run_cycle(const Config& config, state::StateStore& store, Crm& crm,
                      const CycleOptions& options);

}  // namespace crmsync::reconcile
