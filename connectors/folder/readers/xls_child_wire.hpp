// connectors/folder/readers/xls_child_wire.hpp — what the child process that runs libfreexl sends
// back: the chosen sheet, its rows, then "finished" or an error. The child parses hostile files
// with a library that has memory bugs, so the parent decodes its bytes as untrusted input too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/record.hpp"
#include "core/error.hpp"

namespace crmsync::folder {

// Appends frames to a byte string (the child writes it to the pipe).
class XlsWireWriter {
 public:
  void sheet(std::string_view name);
  // Non-empty cells only; `cells[i]` is column i.
  void row(std::uint32_t number, const std::vector<Cell>& cells);
  void error(ErrorCategory category, std::string_view message);
  void finished();

  std::string& bytes() noexcept { return bytes_; }

 private:
  void frame(char type, std::string_view payload);
  std::string bytes_;
};

struct XlsWireRow {
  std::uint32_t number = 0;
  std::vector<Cell> cells;
};

struct XlsWireResult {
  bool finished = false;  // a "finished" frame arrived: the child read the whole sheet
  std::string sheet;
  std::vector<XlsWireRow> rows;
  std::optional<Error> error;  // the child's own error (freexl refused the file, no such sheet)
};

// Decodes everything the child sent. Throws Error(input) naming `display_name` when the bytes do
// not follow the format (a child whose memory the file corrupted may send anything), including a
// cell at or beyond `max_columns`.
XlsWireResult decode_xls_wire(std::string_view bytes, const std::string& display_name,
                              std::uint32_t max_columns);

}  // namespace crmsync::folder
