// daemon/state/source_row_sets.hpp — what crmsync remembers of each row of a source file: its
// identity (the mapping's key), content hash, the CRM record it became, and how the last cycle
// ended for it. A file's rows are stored as one record (JSON, in file order), not a table row
// each: a first sync of a 100,000-row file spent 1.6 s inserting rows into a table and its three
// indexes, and nothing ever asked for one row without its file.
//
// A cycle writes in two steps. Each chunk of CRM results appends the rows it changed as a part
// (in the outbox's transaction, so a crash loses no link); the cycle's end writes the rows of
// each file it changed otherwise, or that has more than one part, back as one part. Reading a
// file's rows applies its parts in order, so a crash between the two steps reads what was
// committed. A new file whose rows were all written in one chunk (a Bulk job) is one part
// already, and is not written twice.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/state/sqlite_statement.hpp"

namespace crmsync::state {

struct StoredRow {
  std::string object;  // the CRM object the row maps to ("Contact"), "row" when none
  std::string row_key;
  std::string content_hash;
  std::optional<std::string> applied_hash;  // content_hash when it was last written to the CRM
  std::optional<std::string> crm_id;        // the record it is linked to
  std::string sheet;
  std::int64_t row_number = 0;
  std::string status;  // created, updated, unchanged, rejected, review, pending, removed
  std::optional<std::int64_t> last_seen_run;
  std::string reason;  // why it ended as it did; empty when nothing to say
};

// One file's rows, keyed by (object, row key).
class SourceRowSet {
 public:
  // In file order (sheet, row number) as loaded; rows put since come last.
  const std::vector<StoredRow>& rows() const { return rows_; }
  const StoredRow* find(std::string_view object, std::string_view row_key) const;
  StoredRow* find(std::string_view object, std::string_view row_key);
  // Adds the row, or replaces the one with its object and key.
  StoredRow& put(StoredRow row);
  // The row with this object and key: the stored one, or a new one with only those two set.
  // One look-up for a caller that keeps some of a row's old values.
  StoredRow& slot(std::string_view object, std::string_view row_key);
  // Room for `more` rows beyond those held, before a caller adds them one slot() at a time: a
  // first sync adds every row of the file, and a 100k-row set grown by doubling was moved some
  // 17 times over (40 MB at its last step, for 30 MB of rows).
  void reserve_more(std::size_t more);
  // For changes that keep every row's object and key (statuses, links).
  std::vector<StoredRow>& rows_for_update() { return rows_; }

 private:
  friend class SourceRowSets;
  void index() const;
  void index_for(std::size_t rows) const;
  void forget_index() const { slots_.clear(); }
  // Where the row with this object and key is, or would go, in slots_.
  std::size_t slot_of(std::string_view object, std::string_view row_key) const;
  void insert_slot(std::size_t row) const;
  std::vector<StoredRow> rows_;
  // Open addressing over row numbers, keyed by a hash of (object, row key): 4 bytes a row and no
  // allocation per row (a map of joined key strings cost a 100k-row first sync 0.2 s). Built on
  // the first look-up: a set only read in order never pays for it.
  mutable std::vector<std::uint32_t> slots_;
};

// What an unchanged file replays when nothing prints its other rows.
struct ListedRows {
  std::int64_t settled = 0;       // neither removed, rejected nor in review: counted only
  std::vector<StoredRow> listed;  // rejected or in review, in file order
};

// Row sets read from, and written to, the state database; each file's set is read once.
class SourceRowSets {
 public:
  explicit SourceRowSets(Connection& db) : db_(db) {}

  // The file's rows as stored. Throws crmsync::Error (permanent) when a stored part is not the
  // JSON this class writes: an edited database is reported, never half read.
  const SourceRowSet& read(std::int64_t item_id);
  // The same, to change: update() writes it back.
  SourceRowSet& change(std::int64_t item_id);
  // The same, to change rows that append_part() then writes.
  SourceRowSet& change_in_part(std::int64_t item_id);
  // When the file's rows are one part: its rows rejected or in review, and how many others are
  // settled, read without the others (each part keeps its listed rows apart too); nullopt
  // otherwise. A 100k-row file with 3,500 such rows replays in 10 ms instead of 150.
  std::optional<ListedRows> listed_rows(std::int64_t item_id);

  // Appends the rows of `changed` (each as the set now holds it) as the file's next part.
  void append_part(std::int64_t item_id, std::span<const StoredRow* const> changed);
  // The same in two steps: the part's JSON is made without the database, so a caller can make it
  // while another thread uses the connection; append_part() then only inserts it.
  struct Part {
    std::int64_t item_id = 0;
    std::int64_t settled_rows = 0;
    std::string rows_json, listed_json;
  };
  static Part make_part(std::int64_t item_id, std::span<const StoredRow* const> rows);
  void append_part(Part part);
  // Writes every set given to change(), or now stored in more than one part, as one part in
  // place of its parts.
  void update();

 private:
  struct Loaded {
    SourceRowSet set;
    int parts = 0;  // in the database, including those appended since it was read
    bool changed = false;
  };
  Loaded& loaded(std::int64_t item_id);
  Loaded load(std::int64_t item_id);
  void insert_part(std::int64_t part_number, const Part& part);

  Connection& db_;
  std::map<std::int64_t, Loaded> sets_;
};

// The JSON of one part: [[object, row_key, content_hash, applied_hash, crm_id, sheet, row_number,
// status, last_seen_run, reason], ...]. Exposed for the migration's tests and the benchmark.
std::string rows_json(std::span<const StoredRow* const> rows);
// Appends the rows of one part to `out`. Throws crmsync::Error (permanent) naming `what` when the
// text is not such an array.
void parse_rows_json(std::string_view json, std::string_view what, std::vector<StoredRow>& out);

}  // namespace crmsync::state
