// connectors/folder/readers/read_options.hpp — what a caller tells a reader: provenance basics,
// the header hint from the mapping, the sheet to read, and the limits that keep hostile files from
// exhausting memory. Defaults suit the daemon; tests lower the limits to exercise them cheaply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "connectors/folder/readers/isolated_process.hpp"
#include "connectors/record.hpp"

namespace crmsync::folder {

struct ReadLimits {
  std::uint64_t max_file_bytes = 2ull << 30;  // a CSV/vCard larger than this is refused
  std::uint64_t max_record_bytes = 16ull
                                   << 20;  // one CSV record / vCard line (a 1 GB line stops here)
  std::uint32_t max_columns = 4096;        // cells per row
  std::uint32_t header_scan_rows = 30;     // rows searched for the header
  // Zip caps for XLSX: a zip bomb hits one of these long before memory runs out.
  std::uint64_t max_zip_total_bytes = 1ull << 30;    // sum of uncompressed sizes actually read
  std::uint64_t max_zip_entry_bytes = 512ull << 20;  // one uncompressed entry
  std::uint32_t max_zip_entries = 10000;
  std::uint32_t max_zip_ratio = 200;  // uncompressed / compressed, per entry
  // Legacy .xls: libfreexl runs in a child process within these bounds (deadline, output, memory).
  IsolationLimits xls_parser;
};

struct ReadOptions {
  std::string source;  // Provenance::source
  std::string owner;   // Provenance::owner (the rep)
  std::string
      item;  // Provenance::item (path relative to the rep's folder); defaults to the file name
  Timestamp modified{};
  std::optional<std::string> sheet;  // read this worksheet; otherwise the best match of the hint
  // Normalized column aliases the mapping knows (see normalize_alias). The header is the row that
  // matches most of them; without a hint, the first dense text row.
  std::vector<std::string> header_hint;
  ReadLimits limits;
};

}  // namespace crmsync::folder
