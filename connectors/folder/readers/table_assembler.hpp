// connectors/folder/readers/table_assembler.hpp — the part every tabular reader shares: holds the
// first rows until the header is known (title rows, notes and blank rows above it are dropped),
// announces the table, then turns each later row into a Record with its provenance. Only the
// header-scan window is ever buffered; after it rows pass straight through.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

class TableAssembler {
 public:
  TableAssembler(const ReadOptions& options, TableInfo info, RecordSink& sink);

  // `row` is the 1-based row number as the spreadsheet shows it.
  void add_row(std::uint32_t row, std::vector<Cell>&& cells);
  void add_error(std::uint32_t row, std::uint32_t column, std::string reason);
  // Ends the table: a table shorter than the scan window is decided here.
  void finish();

  bool header_known() const noexcept { return header_ != nullptr; }
  // TableInfo::rows_hint, for the sink: given before the header is decided, or it is not passed.
  void hint_rows(std::size_t rows) { info_.rows_hint = rows; }

 private:
  struct Pending {
    std::uint32_t row = 0;
    std::vector<Cell> cells;
    std::uint32_t error_column = 0;
    std::string error;  // non-empty: a row error, not a row
  };
  void decide();
  void emit(Pending&& pending);
  Provenance provenance(std::uint32_t row) const;

  const ReadOptions& options_;
  TableInfo info_;
  RecordSink& sink_;
  std::unordered_set<std::string> hint_;
  std::vector<Pending> pending_;
  std::shared_ptr<const Header> header_;
  bool finished_ = false;
};

// Item name for provenance: the option's item, else the file name.
std::string item_name(const ReadOptions& options, const std::string& file_name);

}  // namespace crmsync::folder
