// connectors/folder/readers/record_sink.hpp — where readers stream what they find: one on_table per
// table (CSV file, worksheet, vCard file) before its rows, then records and unreadable rows in file
// order. Readers never hold a whole file; a sink decides what to keep.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

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

// What a sink's preparer made of one record, handed back to the sink with the record.
struct PreparedRecord {
  virtual ~PreparedRecord() = default;
};

// A sink's work on a record that needs nothing the sink was handed before: a pipelined read has
// it done on its reader's thread for records the sink has fallen behind on, so that neither
// thread waits while the other has work. Used from one thread; sees records in file order.
class RecordPreparer {
 public:
  virtual ~RecordPreparer() = default;
  virtual std::unique_ptr<PreparedRecord> prepare(const Record& record) = 0;
};

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void on_table(const TableInfo& info, std::shared_ptr<const Header> header) = 0;
  virtual void on_record(Record&& record) = 0;
  virtual void on_row_error(RowError&& error) = 0;
  // A preparer for another thread, or none (the default): every record comes to on_record.
  virtual std::unique_ptr<RecordPreparer> preparer() { return nullptr; }
  // A record with what the preparer made of it: the same outcome as on_record(record).
  virtual void on_prepared(Record&& record, std::unique_ptr<PreparedRecord> prepared) {
    (void)prepared;
    on_record(std::move(record));
  }
};

}  // namespace crmsync::folder
