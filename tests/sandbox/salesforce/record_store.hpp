// Records of the emulated org: held in memory for fast queries, written through to SQLite under
// --state DIR so a restarted sandbox still has them. Not thread-safe: the API holds one mutex
// around every request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
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

  [[nodiscard]] Record* find(const std::string& id18);
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

  // Groups writes into one SQLite transaction (a collections call or Bulk job is one commit).
  void begin();
  void commit();
  // An undoable transaction (composite allOrNone): writes until end_undoable(false) are rolled
  // back in SQLite and in memory (records are re-read from the database).
  void begin_undoable();
  void end_undoable(bool keep);

 private:
  void load();
  void exec(const char* sql);
  void reload(const std::string& id18);
  void forget(const std::string& id18);

  const Schema& schema_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  std::uint64_t next_sequence_ = 1;
  sqlite3_stmt* select_one_ = nullptr;
  sqlite3_stmt* delete_one_ = nullptr;
  int transaction_depth_ = 0;
  bool journaling_ = false;
  std::vector<std::string> touched_;  // ids written since begin_undoable()
  std::unordered_map<std::string, std::unique_ptr<Record>> by_id_;
  std::unordered_map<const ObjectDef*, std::vector<Record*>> by_object_;
};

}  // namespace sandbox::salesforce
