// daemon/reconcile/cycle/rep_reports.hpp — the report each rep gets back per file read this
// cycle: every row with what happened to it (created / updated / unchanged / rejected / needs
// review), the CRM record, and the reason in plain words. Files that could not be read at all get
// a one-line report saying why.
#pragma once

#include <filesystem>
#include <vector>

#include "daemon/reconcile/cycle/folder_items.hpp"
#include "daemon/reconcile/plan/plan_model.hpp"

namespace crmsync::reconcile {

// Returns how many report files were written; a report that cannot be written is logged and
// skipped (the sync itself stands).
int write_rep_reports(const std::filesystem::path& inbox_root, const std::vector<SourceItem>& items,
                      const Plan& plan);

}  // namespace crmsync::reconcile
