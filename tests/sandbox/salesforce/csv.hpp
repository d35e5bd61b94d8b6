// RFC 4180 CSV reading (quoted fields, doubled quotes, embedded line breaks, LF or CRLF): the seed
// files and Bulk uploads. Hand-written because it is 60 lines and must stream over a string the
// server already holds. Cells are views of that string (a Bulk upload has a cell per field of
// every record: no copy each); only a cell with doubled quotes is unescaped into a copy.
#pragma once

#include <list>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::salesforce {

using CsvRow = std::vector<std::string_view>;

struct CsvTable {
  std::vector<CsvRow> rows;
  // The cells that are not plain runs of the text. A list: its strings never move, so the views
  // stay valid, also when one table's list is spliced into another's.
  std::list<std::string> unescaped;
};

// Parses the whole text into `table` (whose cells view `text`: it must outlive them); false (and
// the 1-based line) when a quoted field is not closed or a quote appears inside an unquoted field.
bool parse_csv(std::string_view text, char delimiter, CsvTable& table, std::size_t& bad_line);

// Appends one field, always double-quoted with inner quotes doubled (Bulk result CSVs quote
// every value, reference §6.5).
void append_quoted(std::string& out, std::string_view value);

}  // namespace sandbox::salesforce
