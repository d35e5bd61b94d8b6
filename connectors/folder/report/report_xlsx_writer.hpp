// connectors/folder/report/report_xlsx_writer.hpp — the report as a minimal valid XLSX package
// (Office Open XML SpreadsheetML) built in memory with libzip: [Content_Types].xml, _rels/.rels,
// xl/workbook.xml, xl/_rels/workbook.xml.rels, xl/styles.xml (a bold header) and one worksheet of
// inline strings (no shared-string table to keep consistent). Excel and LibreOffice open it.
#pragma once

#include <span>
#include <string>

#include "connectors/folder/report/report_row.hpp"

namespace crmsync::folder {

// A worksheet holds 1,048,576 rows; one is the header.
inline constexpr std::size_t kXlsxMaxDataRows = 1'048'575;

// The bytes of the .xlsx file. Rows beyond max_rows are left out and the last row says how many
// and that the CSV report has them all (Excel refuses a sheet with more rows than it can hold).
// Throws Error(permanent) if libzip fails (out of memory).
std::string render_report_xlsx(std::span<const ReportRow> rows,
                               std::size_t max_rows = kXlsxMaxDataRows);

// "A".."Z", "AA".. for a 0-based column index.
std::string xlsx_column_name(std::size_t index);

}  // namespace crmsync::folder
