// tests/fuzz/folder_readers/fuzz_sink.hpp — a sink that touches every cell (so sanitizers see any
// bad string) and limits tight enough that one input stays fast.
#pragma once

#include <cstddef>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder::fuzzing {

struct TouchingSink final : RecordSink {
  std::size_t bytes = 0;
  void on_table(const TableInfo& info, std::shared_ptr<const Header> header) override {
    bytes += info.format.size();
    for (const auto& column : header->columns)
      bytes += column.size();
  }
  void on_record(Record&& record) override {
    for (const auto& cell : record.cells)
      bytes += cell.text.size();
  }
  void on_row_error(RowError&& error) override { bytes += error.reason.size(); }
};

inline ReadOptions fuzz_options() {
  ReadOptions options;
  options.header_hint = {"name", "email", "phone"};
  options.limits.max_file_bytes = 8u << 20;
  options.limits.max_record_bytes = 1u << 20;
  options.limits.max_zip_total_bytes = 32u << 20;
  options.limits.max_zip_entry_bytes = 16u << 20;
  options.limits.max_zip_entries = 200;
  return options;
}

}  // namespace crmsync::folder::fuzzing
