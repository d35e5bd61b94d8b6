// connectors/folder/report/report_row.hpp — one line of the report a rep gets back for a file:
// what happened to each source row, in plain words, with enough of the row (name, email) for the
// rep to recognise it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crmsync::folder {

enum class ReportStatus { created, updated, unchanged, rejected, needs_review };

// "created", "updated", "unchanged", "rejected", "needs review".
std::string_view to_string(ReportStatus status) noexcept;

struct ReportRow {
  std::uint32_t row = 0;  // as the spreadsheet shows it (1-based, header and title rows counted)
  std::string sheet;      // empty for CSV and vCard
  ReportStatus status = ReportStatus::unchanged;
  std::string crm_id;  // the CRM record created or updated; empty for rejects
  std::string name;    // identifying values of the row, as the rep wrote them
  std::string email;
  std::string reason;  // plain words: why rejected / why it needs review / what changed
};

}  // namespace crmsync::folder
