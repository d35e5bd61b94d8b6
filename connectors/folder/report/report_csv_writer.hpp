// connectors/folder/report/report_csv_writer.hpp — the report as CSV: UTF-8 with a BOM (so Excel
// detects the encoding), CRLF line ends and RFC 4180 quoting, every text cell cleaned and
// neutralised against formula injection.
#pragma once

#include <span>
#include <string>

#include "connectors/folder/report/report_row.hpp"

namespace crmsync::folder {

std::string render_report_csv(std::span<const ReportRow> rows);

}  // namespace crmsync::folder
