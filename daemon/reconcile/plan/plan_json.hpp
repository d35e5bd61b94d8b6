// daemon/reconcile/plan/plan_json.hpp — the plan document of DESIGN.md's command-line contract,
// printed by `crmsync plan --json` and `crmsync sync --once --json`: the run's id, one `items`
// entry per source row, the `removed` rows, the run's `status` and its `summary`, in that order.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "daemon/reconcile/plan/plan_model.hpp"
#include "daemon/reconcile/sync_cycle.hpp"

namespace crmsync::reconcile {

// The plan document's beginning and its `items`, written straight to a descriptor (standard
// output) while the cycle records its results, on a thread of its own; write_plan_json then
// writes the rest, once the summary is known. A 100k-row plan's items are 80 MB of JSON:
// rendered after everything else they cost a sync 0.4 s at its end, and rendered ahead into a
// temporary file they were written twice. That is why `summary` comes last in the document.
class StreamedItems {
 public:
  // Call once every decision is final (the reports read them at the same point).
  static StreamedItems write(int fd, const Plan& plan, std::int64_t run_id, bool dry_run);
  // Something was written: write_plan_json writes only the rest.
  explicit operator bool() const { return started_; }
  // Every byte went out; false when the descriptor refused one (a full disk, a closed pipe).
  bool complete() const { return complete_; }

 private:
  bool started_ = false;
  bool complete_ = false;
};

std::string render_plan_json(const Plan& plan, const CycleSummary& summary, bool dry_run);
// The same, written to `out` as it is rendered rather than built whole in memory. With
// `streamed`, its beginning and items are already written to the descriptor `out` writes to,
// and only the rest is written (when they were not written whole, `out` gets its badbit).
void write_plan_json(std::ostream& out, const Plan& plan, const CycleSummary& summary, bool dry_run,
                     const StreamedItems* streamed = nullptr);

// The same plan for people: the summary, then what happens to each row that is not unchanged.
std::string render_plan_text(const Plan& plan, const CycleSummary& summary, bool dry_run);

}  // namespace crmsync::reconcile
