#include "connectors/folder/readers/table_assembler.hpp"

#include <algorithm>

#include "connectors/folder/readers/header_detector.hpp"

namespace crmsync::folder {

std::string item_name(const ReadOptions& options, const std::string& file_name) {
  return options.item.empty() ? file_name : options.item;
}

TableAssembler::TableAssembler(const ReadOptions& options, TableInfo info, RecordSink& sink)
    : options_(options),
      info_(std::move(info)),
      sink_(sink),
      hint_(options.header_hint.begin(), options.header_hint.end()) {}

Provenance TableAssembler::provenance(std::uint32_t row) const {
  Provenance from;
  from.source = options_.source;
  from.owner = options_.owner;
  from.item = options_.item;
  from.sheet = info_.sheet;
  from.row = row;
  from.modified = options_.modified;
  return from;
}

void TableAssembler::add_row(std::uint32_t row, std::vector<Cell>&& cells) {
  while (!cells.empty() && cells.back().empty())
    cells.pop_back();  // trailing empty columns
  if (header_) {
    // Straight to the sink: past the header every row takes this path.
    if (!cells.empty()) sink_.on_record(Record{provenance(row), header_, std::move(cells)});
    return;
  }
  pending_.push_back(Pending{row, std::move(cells), 0, {}});
  const auto rows = std::count_if(pending_.begin(), pending_.end(),
                                  [](const Pending& p) { return p.error.empty(); });
  if (static_cast<std::uint32_t>(rows) >= options_.limits.header_scan_rows) decide();
}

void TableAssembler::add_error(std::uint32_t row, std::uint32_t column, std::string reason) {
  if (header_) {
    sink_.on_row_error(RowError{provenance(row), column, std::move(reason)});
    return;
  }
  pending_.push_back(Pending{row, {}, column, std::move(reason)});
}

void TableAssembler::finish() {
  if (finished_) return;
  finished_ = true;
  if (!header_) decide();
}

void TableAssembler::decide() {
  std::vector<std::vector<Cell>> candidates;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < pending_.size(); ++i)
    if (pending_[i].error.empty()) {
      candidates.push_back(pending_[i].cells);
      positions.push_back(i);
    }
  const auto choice = choose_header(candidates, hint_);
  auto header = std::make_shared<Header>();
  std::size_t first_data = pending_.size();
  if (choice) {
    const Pending& row = pending_[positions[choice->index]];
    header->columns = header_columns(row.cells);
    header->row = row.row;
    first_data = positions[choice->index] + 1;
  }
  header_ = std::move(header);
  sink_.on_table(info_, header_);
  // Errors above the header are still reported: a broken row may be where the header should be.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (!pending_[i].error.empty() || (i >= first_data && !pending_[i].cells.empty()))
      emit(std::move(pending_[i]));
  }
  pending_.clear();
  pending_.shrink_to_fit();
}

void TableAssembler::emit(Pending&& pending) {
  if (!pending.error.empty()) {
    sink_.on_row_error(
        RowError{provenance(pending.row), pending.error_column, std::move(pending.error)});
    return;
  }
  sink_.on_record(Record{provenance(pending.row), header_, std::move(pending.cells)});
}

}  // namespace crmsync::folder
