// connectors/folder/report/report_columns.hpp — the report's columns, declared once for both the
// CSV and the XLSX writer, so the two files always agree.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "connectors/folder/report/report_row.hpp"

namespace crmsync::folder {

struct ReportColumn {
  std::string_view title;
  unsigned width;  // XLSX column width in characters
};

inline constexpr std::array<ReportColumn, 7> kReportColumns = {{
    {"Row", 6},
    {"Sheet", 16},
    {"Status", 14},
    {"CRM record id", 20},
    {"Name", 28},
    {"Email", 32},
    {"Reason", 80},
}};

// The text columns of one row, in kReportColumns order after "Row" (which is numeric).
inline std::array<std::string_view, 6> report_text_cells(const ReportRow& row) {
  return {row.sheet, to_string(row.status), row.crm_id, row.name, row.email, row.reason};
}

}  // namespace crmsync::folder
