// connectors/salesforce/bulk_csv.hpp — the CSV Bulk API 2.0 speaks: RFC 4180 with LF line
// endings, every value quoted when it must be, "#N/A" to clear a field (an empty value means
// "leave unchanged"), and the result CSVs read back with embedded newlines and doubled quotes.
// Hand-rolled: the format is a few dozen lines, and the folder readers' CSV stack (encoding
// sniffing, Excel habits) belongs to another connector and answers other questions.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crmsync::salesforce {

// Fields are appended with crmsync::append_csv_field (core/text/csv_field.hpp).

// Calls on_row once per row of a CSV document, its fields as views into `text`, or into scratch
// space for a field that had to be unescaped (a doubled quote, a stray CR): valid during the call.
// A 100k-row result file is read without a string per field.
using CsvRowHandler = std::function<void(std::span<const std::string_view> fields)>;
void for_each_csv_row(std::string_view text, const CsvRowHandler& on_row);

// Parses a whole CSV document into rows of fields.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

}  // namespace crmsync::salesforce
