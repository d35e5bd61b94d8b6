// connectors/folder/readers/record_sink.hpp — where readers stream what they find: one on_table per
// table (CSV file, worksheet, vCard file) before its rows, then records and unreadable rows in file
// order. Readers never hold a whole file; a sink decides what to keep.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "connectors/record.hpp"

namespace crmsync::folder {

// What the reader learned about a table before its first row: useful for previews and reports.
struct TableInfo {
  std::string format;     // "csv", "xlsx", "xls", "vcard"
  std::string encoding;   // "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "windows-1252"; empty for binary
  std::string delimiter;  // "," ";" "\t" "|" for CSV; empty otherwise
  std::string sheet;      // worksheet name; empty for CSV and vCard
  // About how many rows follow, when the format says (a worksheet's <dimension>, capped by what
  // its size can hold); 0 when unknown. Room for a sink to reserve, never a promise.
  std::size_t rows_hint = 0;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_table(const TableInfo& info, std::shared_ptr<const Header> header) = 0;
  virtual void on_record(Record&& record) = 0;
  virtual void on_row_error(RowError&& error) = 0;
};

}  // namespace crmsync::folder
