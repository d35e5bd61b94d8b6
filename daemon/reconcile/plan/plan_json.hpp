// daemon/reconcile/plan/plan_json.hpp — the plan document of DESIGN.md's command-line contract,
// printed by `crmsync plan --json` and `crmsync sync --once --json`: a `summary` object and one
// `items` entry per source row.
#pragma once

#include <ostream>
#include <string>

#include "daemon/reconcile/plan/plan_model.hpp"
#include "daemon/reconcile/sync_cycle.hpp"

namespace crmsync::reconcile {

std::string render_plan_json(const Plan& plan, const CycleSummary& summary, bool dry_run);
// The same, written to `out` as it is rendered rather than built whole in memory.
void write_plan_json(std::ostream& out, const Plan& plan, const CycleSummary& summary,
                     bool dry_run);

// The same plan for people: the summary, then what happens to each row that is not unchanged.
std::string render_plan_text(const Plan& plan, const CycleSummary& summary, bool dry_run);

}  // namespace crmsync::reconcile
