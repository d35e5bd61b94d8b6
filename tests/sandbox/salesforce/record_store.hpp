// Records of the emulated org: held in memory for fast queries, written through to SQLite under
// --state DIR so a restarted sandbox still has them. Not thread-safe: the API holds one mutex
// around every request.
#pragma once

#include <cstdint>
#include <memory>
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

  // Groups writes into one SQLite transaction (a collections call or Bulk job is one commit).
  void begin();
  void commit();

 private:
  void load();
  void exec(const char* sql);

  const Schema& schema_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  std::uint64_t next_sequence_ = 1;
  int transaction_depth_ = 0;
  std::unordered_map<std::string, std::unique_ptr<Record>> by_id_;
  std::unordered_map<const ObjectDef*, std::vector<Record*>> by_object_;
};

}  // namespace sandbox::salesforce
