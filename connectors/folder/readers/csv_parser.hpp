// connectors/folder/readers/csv_parser.hpp — an incremental RFC 4180 parser with Excel's habits:
// quoted newlines, doubled quotes, CRLF/LF/CR, ragged rows, text after a closing quote kept as
// Excel keeps it. Fed UTF-8 in chunks of any size; state survives between chunks, so a 1M-row
// file never sits in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/record.hpp"

namespace crmsync::folder {

struct CsvRow {
  std::uint32_t row = 0;    // 1-based logical record number (a quoted newline does not start a row)
  std::vector<Cell> cells;  // text cells as written; empty fields are empty cells
  std::string error;        // non-empty when the row cannot be read
  std::uint32_t error_column = 0;
};

class CsvParser {
 public:
  using RowHandler = std::function<void(CsvRow&&)>;
  CsvParser(char delimiter, std::uint64_t max_record_bytes, std::uint32_t max_columns,
            RowHandler handler);

  void feed(std::string_view text);
  // End of input: an unterminated quote is reported as a broken row, and the lines it swallowed
  // are read again as rows of their own.
  void finish();

 private:
  enum class State : std::uint8_t { field_start, unquoted, quoted, quote_in_quoted };
  void end_field();
  void end_record();
  void emit_record();  // the fields so far are the whole record
  void grow(std::size_t n);
  void reset_record();
  void append(const char* begin, const char* end);
  const char* find_unquoted_end(const char* p, const char* end) const noexcept;

  char delimiter_;
  // Bytes that end an unquoted field (the delimiter, CR, LF), for the tail of a chunk.
  bool ends_unquoted_[256] = {};
  std::uint64_t max_record_bytes_;
  std::uint32_t max_columns_;
  RowHandler handler_;

  State state_ = State::field_start;
  bool skip_lf_ = false;  // the previous record ended with CR
  std::string field_;
  std::vector<Cell> cells_;
  std::size_t last_width_ = 0;  // cells in the previous row: the next row's reservation
  std::uint64_t record_bytes_ = 0;
  std::uint32_t row_ = 0;
  std::uint32_t quote_column_ = 0;  // column whose quote is open
  bool too_many_columns_ = false;
  int recoveries_ = 0;
};

}  // namespace crmsync::folder
