#include "connectors/folder/report/report_csv_writer.hpp"

#include <charconv>

#include "connectors/folder/report/report_cell_text.hpp"
#include "connectors/folder/report/report_columns.hpp"
#include "core/text/csv_field.hpp"

namespace crmsync::folder {

std::string render_report_csv(std::span<const ReportRow> rows) {
  std::string out = "\xEF\xBB\xBF";
  out.reserve(1024 + rows.size() * 128);  // about a row's length: grown once, not by doubling
  for (std::size_t i = 0; i < kReportColumns.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(kReportColumns[i].title);
  }
  out += "\r\n";
  // Written in place, a cell at a time: a 100k-row report has 600k of them.
  char number[24];
  std::string cleaned;
  for (const ReportRow& row : rows) {
    out.append(number, std::to_chars(number, number + sizeof number, row.row).ptr);
    for (const std::string_view cell : report_text_cells(row)) {
      out += ',';
      append_csv_field(
          out, is_safe_cell_text(cell) ? cell : std::string_view(cleaned = safe_cell_text(cell)));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace crmsync::folder
