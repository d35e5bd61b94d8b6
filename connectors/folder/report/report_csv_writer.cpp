#include "connectors/folder/report/report_csv_writer.hpp"

#include "connectors/folder/report/report_cell_text.hpp"
#include "connectors/folder/report/report_columns.hpp"

namespace crmsync::folder {

std::string csv_field(std::string_view text) {
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos
                     || (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string render_report_csv(std::span<const ReportRow> rows) {
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < kReportColumns.size(); ++i) {
    if (i > 0) out += ',';
    out += csv_field(kReportColumns[i].title);
  }
  out += "\r\n";
  for (const ReportRow& row : rows) {
    out += std::to_string(row.row);
    for (const std::string_view cell : report_text_cells(row)) {
      out += ',';
      out += csv_field(safe_cell_text(cell));
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace crmsync::folder
