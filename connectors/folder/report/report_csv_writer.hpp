// connectors/folder/report/report_csv_writer.hpp — the report as CSV: UTF-8 with a BOM (so Excel
// detects the encoding), CRLF line ends and RFC 4180 quoting, every text cell cleaned and
// neutralised against formula injection.
#pragma once

#include <span>
#include <string>

#include "connectors/folder/report/report_row.hpp"

namespace crmsync::folder {

std::string render_report_csv(std::span<const ReportRow> rows);

// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, or starts or ends with a
// space (Excel would trim it); inner quotes doubled. The text is used as given.
std::string csv_field(std::string_view text);
void append_csv_field(std::string& out, std::string_view text);

}  // namespace crmsync::folder
