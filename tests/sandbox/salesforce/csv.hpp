// RFC 4180 CSV reading (quoted fields, doubled quotes, embedded line breaks, LF or CRLF): the seed
// files and Bulk uploads. Hand-written because it is 60 lines and must stream over a string the
// server already holds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sandbox::salesforce {

using CsvRow = std::vector<std::string>;

// Parses the whole text; false (and the 1-based line) when a quoted field is not closed or a
// quote appears inside an unquoted field.
bool parse_csv(std::string_view text, char delimiter, std::vector<CsvRow>& rows,
               std::size_t& bad_line);

// Appends one field, always double-quoted with inner quotes doubled (Bulk result CSVs quote
// every value, reference §6.5).
void append_quoted(std::string& out, std::string_view value);

}  // namespace sandbox::salesforce
