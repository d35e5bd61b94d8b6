#include "daemon/reconcile/cycle/rep_reports.hpp"

#include <spdlog/spdlog.h>

#include "connectors/folder/inbox/file_name.hpp"
#include "connectors/folder/report/report_files.hpp"
#include "core/error.hpp"

namespace crmsync::reconcile {
namespace {

folder::ReportStatus status_of(RowAction action) {
  switch (action) {
    case RowAction::create:
      return folder::ReportStatus::created;
    case RowAction::update:
      return folder::ReportStatus::updated;
    case RowAction::unchanged:
      return folder::ReportStatus::unchanged;
    case RowAction::reject:
      return folder::ReportStatus::rejected;
    case RowAction::review:
      return folder::ReportStatus::needs_review;
  }
  return folder::ReportStatus::unchanged;
}

folder::ReportRow report_row(const SourceRow& row, const RowPlan& decision) {
  folder::ReportRow out;
  out.row = row.mapped.from.row;
  out.sheet = row.mapped.from.sheet;
  out.status = status_of(decision.action);
  // A create or update the CRM has not confirmed yet is not reported as done.
  if ((decision.action == RowAction::create || decision.action == RowAction::update)
      && decision.crm_id.empty())
    out.status = folder::ReportStatus::needs_review;
  out.crm_id = decision.crm_id;
  out.reason = decision.reason;
  if (const auto* primary = row.mapped.primary()) {
    const auto* first = primary->field("FirstName");
    const auto* last = primary->field("LastName");
    if (first) out.name = first->value;
    if (last) out.name += (out.name.empty() ? "" : " ") + last->value;
    if (const auto* email = primary->field("Email")) out.email = email->value;
  } else if (row.mapped.rejection) {
    out.name = row.mapped.rejection->value;
  }
  return out;
}

}  // namespace

int write_rep_reports(const std::filesystem::path& inbox_root, const std::vector<SourceItem>& items,
                      const Plan& plan) {
  int written = 0;
  for (const auto& item : items) {
    if (item.unchanged) continue;
    std::vector<folder::ReportRow> rows;
    rows.reserve(item.row_count + 1);
    if (!item.error.empty()) {
      folder::ReportRow row;
      row.status = folder::ReportStatus::rejected;
      row.reason = "the file could not be read: " + item.error;
      rows.push_back(std::move(row));
    }
    for (std::size_t r = item.first_row; r < item.first_row + item.row_count; ++r)
      rows.push_back(report_row(plan.rows[r], plan.decisions[r]));
    try {
      folder::write_report_files(inbox_root, item.rep, item.path, rows);
      ++written;
    } catch (const Error& e) {
      spdlog::warn("report for {}/{} not written: {}", folder::escape_for_log(item.rep),
                   folder::escape_for_log(item.path), e.what());
    }
  }
  return written;
}

}  // namespace crmsync::reconcile
