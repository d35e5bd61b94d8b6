#include "daemon/reconcile/plan/removed_rows.hpp"

#include <fmt/format.h>

#include <set>

namespace crmsync::reconcile {

std::string_view to_string(RemovedRow::Action action) noexcept {
  switch (action) {
    case RemovedRow::Action::ignore:
      return "ignore";
    case RemovedRow::Action::flag:
      return "flag";
    case RemovedRow::Action::unlink:
      return "unlink";
  }
  return "ignore";
}

void plan_removed_rows(Plan& plan, std::int64_t run_id, const std::string& today,
                       const std::function<bool(const std::string&)>& backed_by_unlisted) {
  if (plan.removed.empty()) return;
  std::set<std::string> still_backed;
  for (std::size_t r = 0; r < plan.rows.size(); ++r) {
    if (plan.rows[r].linked_id) still_backed.insert(*plan.rows[r].linked_id);
    if (!plan.decisions[r].crm_id.empty()) still_backed.insert(plan.decisions[r].crm_id);
  }
  std::set<std::string> flagged;  // one write per record, however many of its rows went
  for (std::size_t i = 0; i < plan.removed.size(); ++i) {
    auto& removed = plan.removed[i];
    if (removed.action != RemovedRow::Action::flag) continue;
    if (still_backed.contains(removed.crm_id) || backed_by_unlisted(removed.crm_id)) {
      removed.outcome = "not flagged: the record is still in another row";
      continue;
    }
    const auto where = removed.from.sheet.empty()
                           ? fmt::format("row {}", removed.from.row)
                           : fmt::format("sheet {} row {}", removed.from.sheet, removed.from.row);
    removed.note = fmt::format("Removed from {}'s file {} ({}) on {}; crmsync keeps the record",
                               removed.from.owner, removed.from.item, where, today);
    if (!flagged.insert(removed.crm_id).second) continue;
    PlannedOperation op;
    op.op.kind = CrmOperation::Kind::update;
    op.op.object = removed.object;
    op.op.id = removed.crm_id;
    op.op.values.emplace_back(removed.flag_field, removed.note);
    op.removed.push_back(i);
    op.idempotency_key = fmt::format("flag:{}:{}@{}", removed.object, removed.crm_id, run_id);
    removed.operation = plan.operations.size();
    plan.operations.push_back(std::move(op));
  }
}

}  // namespace crmsync::reconcile
