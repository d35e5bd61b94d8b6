// Records of the emulated org: held in memory for fast queries, written behind to SQLite under
// --state DIR so a restarted sandbox still has them. Requests never wait for SQLite: a writer
// thread applies queued rows in batched transactions (on the machine's other core), and the
// destructor drains the queue, so a clean stop (SIGTERM) loses nothing. Not thread-safe for
// callers: the API holds one mutex around every request.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "salesforce/schema.hpp"
#include "salesforce/values.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sandbox::salesforce {

class RecordStore {
 public:
  // Opens (creating if needed) DIR/salesforce.sqlite3 and loads every record.
  RecordStore(const Schema& schema, const std::string& state_dir);
  ~RecordStore();
  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;

  [[nodiscard]] Record* find(std::string_view id18);
  // Records of one object in insertion order (deleted ones included; callers filter).
  [[nodiscard]] const std::vector<Record*>& records_of(const ObjectDef& object) const;
  [[nodiscard]] bool empty() const { return by_id_.empty(); }

  // A fresh 18-char id with the object's key prefix.
  std::string next_id(const ObjectDef& object);
  // Adds a record (its id must be set) and persists it.
  Record& insert(Record record);
  // Persists a record after its fields changed.
  void save(const Record& record);
  // Forgets every record (the /__sandbox/reset hook).
  void clear();

  // Removes a record for good (Bulk hardDelete).
  void erase(const std::string& id18);

  // Brackets the writes of one call (a collections call, a Bulk job): the writer thread is woken
  // at commit (and every kWakeEvery rows meanwhile), so a call's rows share a transaction.
  void begin();
  void commit();
  // An undoable transaction (composite allOrNone): the queue is drained first, then writes go to
  // SQLite directly until end_undoable(false) rolls them back in SQLite and in memory (records are
  // re-read from the database).
  void begin_undoable();
  void end_undoable(bool keep);

 private:
  // One queued change of the records table, keyed by the record's sequence (the table's rowid:
  // one B-tree per write instead of a table and an index on a text key).
  struct Row {
    enum class Kind { Upsert, Erase, Clear } kind = Kind::Upsert;
    std::array<char, 18> id{};            // record ids are 18 chars: no allocation per row
    const std::string* object = nullptr;  // ObjectDef::name, stable for the process lifetime
    std::uint64_t sequence = 0;
    bool deleted = false;
    std::size_t fields_offset = 0;  // the encoded values in Queue::fields (Upsert)
    std::size_t fields_size = 0;
  };
  // Rows and their encoded values in one buffer: the writer swaps the whole queue for its empty
  // one, so neither thread allocates per row once the buffers have grown.
  struct Queue {
    std::vector<Row> rows;
    std::string fields;
  };

  // An id's 15 case-sensitive characters packed 6 bits each (the suffix follows from them): the
  // id map hashes two integers instead of an 18-char string it would have to allocate.
  struct IdKey {
    std::uint64_t head = 0;  // characters 0-9
    std::uint64_t tail = 0;  // characters 10-14
    bool operator==(const IdKey&) const = default;
  };
  struct IdKeyHash {
    std::size_t operator()(const IdKey& key) const;
  };
  static std::optional<IdKey> key_of(std::string_view id);

  // The name prefixes of stored values (stored_fields.hpp), built once per object.
  const std::vector<std::string>& stored_keys(const ObjectDef& object);

  void open_table();  // creates the records table, or moves an older layout's rows into it
  void prepare(const char* sql, sqlite3_stmt** statement);
  void load();
  void exec(const char* sql);  // db_mutex_ held (or before the writer starts)
  void apply(const Row& row, const std::string& fields);  // db_mutex_ held
  // Queues a row (with `record`'s values encoded, for an upsert), or writes it at once inside
  // begin_undoable().
  void enqueue(Row row, const Record* record);
  void flush();  // waits until every queued row is in SQLite
  void write_loop();
  void reload(const std::string& id18, std::uint64_t sequence);
  void forget(const std::string& id18);

  const Schema& schema_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  std::uint64_t next_sequence_ = 1;
  sqlite3_stmt* select_one_ = nullptr;
  sqlite3_stmt* delete_one_ = nullptr;
  int transaction_depth_ = 0;
  bool direct_ = false;  // inside begin_undoable(): write in the caller's SQLite transaction
  bool journaling_ = false;
  // (id, sequence) of each row written since begin_undoable().
  std::vector<std::pair<std::string, std::uint64_t>> touched_;
  std::string direct_fields_;  // encoded values of a row written inside begin_undoable()
  std::unordered_map<IdKey, std::unique_ptr<Record>, IdKeyHash> by_id_;
  // An object's records in insertion (sequence) order. Removing one leaves a hole that the next
  // read closes: a Bulk hardDelete of n records costs n binary searches and one pass, not n.
  struct Listing {
    std::vector<std::uint64_t> sequences;  // kept for holes too: the order to search in
    std::vector<Record*> records;          // null: removed since the last read
    std::size_t holes = 0;
    void insert(Record* record);
    void remove(const Record* record);
    const std::vector<Record*>& compacted();
  };
  // Mutable: records_of() closes the holes it finds.
  mutable std::unordered_map<const ObjectDef*, Listing> by_object_;
  std::unordered_map<const ObjectDef*, std::vector<std::string>> stored_keys_;

  std::mutex db_mutex_;  // the connection and its statements
  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;  // rows queued, or stopping
  std::condition_variable queue_drained_;
  Queue queued_;
  bool writing_ = false;  // the writer holds a batch not yet committed
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace sandbox::salesforce
