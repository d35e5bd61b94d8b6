// daemon/reconcile/plan/plan_json.hpp — the plan document of DESIGN.md's command-line contract,
// printed by `crmsync plan --json` and `crmsync sync --once --json`: a `summary` object and one
// `items` entry per source row.
#pragma once

#include <cstdio>
#include <memory>
#include <ostream>
#include <string>

#include "daemon/reconcile/plan/plan_model.hpp"
#include "daemon/reconcile/sync_cycle.hpp"

namespace crmsync::reconcile {

// A plan's `items` array, rendered ahead into an unnamed temporary file ($TMPDIR or /tmp) while
// the cycle records its results, on a thread of its own. A 100k-row plan's items are 80 MB of
// JSON: rendered after everything else they cost a sync 0.4 s at its end; in a file they cost no
// memory. Empty when no temporary file could be written: the document then renders them itself.
class RenderedItems {
 public:
  // Call once every decision is final (the reports read them at the same point).
  static RenderedItems render(const Plan& plan);
  explicit operator bool() const { return file_ != nullptr; }
  // Copies the array to `out`; sets its badbit when the file cannot be read back. With `out_fd`,
  // the descriptor `out` writes to: `out` is flushed, and the array goes there inside the kernel
  // (sendfile) instead of being read back into this process and written out again; where the
  // descriptor takes no sendfile (one opened to append), it is copied through `out`.
  void copy_to(std::ostream& out, int out_fd = -1) const;

 private:
  struct Close {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::unique_ptr<std::FILE, Close> file_;
};

std::string render_plan_json(const Plan& plan, const CycleSummary& summary, bool dry_run);
// The same, written to `out` as it is rendered rather than built whole in memory; with
// `rendered`, its items are copied from there (`out_fd`: as RenderedItems::copy_to).
void write_plan_json(std::ostream& out, const Plan& plan, const CycleSummary& summary, bool dry_run,
                     const RenderedItems* rendered = nullptr, int out_fd = -1);

// The same plan for people: the summary, then what happens to each row that is not unchanged.
std::string render_plan_text(const Plan& plan, const CycleSummary& summary, bool dry_run);

}  // namespace crmsync::reconcile
