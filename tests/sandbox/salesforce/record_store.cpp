#include "salesforce/record_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "salesforce/ids.hpp"
#include "salesforce/stored_fields.hpp"

namespace sandbox::salesforce {
namespace {

// How many queued rows wake the writer before the call's commit(): a Bulk job's rows then reach
// SQLite while the job is still being processed.
constexpr std::size_t kWakeEvery = 512;

// The table's layout version (PRAGMA user_version). 0: an older sandbox's table keyed by the text
// id, with the values as JSON text; 2: keyed by the sequence, values in the stored_fields form.
constexpr int kLayoutVersion = 2;

std::string_view column_text(sqlite3_stmt* row, int index) {
  const void* bytes = sqlite3_column_blob(row, index);
  return {static_cast<const char*>(bytes),
          static_cast<std::size_t>(sqlite3_column_bytes(row, index))};
}

// A record from a row of (sequence, id, object, deleted, fields); std::nullopt when its object
// is no longer in the schema.
std::optional<Record> decode_row(const Schema& schema, sqlite3_stmt* row) {
  const ObjectDef* object = schema.find(column_text(row, 2));
  if (object == nullptr) return std::nullopt;  // an object dropped from the schema file since
  Record record = Record::of(*object);
  record.sequence = static_cast<std::uint64_t>(sqlite3_column_int64(row, 0));
  record.id = column_text(row, 1);
  record.deleted = sqlite3_column_int(row, 3) != 0;
  const bool legacy = sqlite3_column_type(row, 4) == SQLITE_TEXT;
  const std::string_view fields = column_text(row, 4);
  if (!(legacy ? read_legacy_json_fields(fields, record) : read_stored_fields(fields, record)))
    return std::nullopt;
  return record;
}

}  // namespace

RecordStore::RecordStore(const Schema& schema, const std::string& state_dir) : schema_(schema) {
  std::filesystem::create_directories(state_dir);
  const std::string path = state_dir + "/salesforce.sqlite3";
  // No SQLite mutexes: db_mutex_ already serializes every use of the connection.
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr)
      != SQLITE_OK) {
    throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db_));
  }
  exec("PRAGMA journal_mode=WAL");
  // A test org needs to survive a restart, not a power cut: no fsync on the write path.
  exec("PRAGMA synchronous=OFF");
  // A Bulk job writes its rows in one transaction; a small page cache would spill it mid-way.
  exec("PRAGMA cache_size=-65536");
  open_table();
  prepare(
      "INSERT OR REPLACE INTO records (sequence, id, object, deleted, fields) "
      "VALUES (?1, ?2, ?3, ?4, ?5)",
      &upsert_);
  prepare("SELECT sequence, id, object, deleted, fields FROM records WHERE sequence = ?1",
          &select_one_);
  prepare("DELETE FROM records WHERE sequence = ?1", &delete_one_);
  load();
  writer_ = std::thread([this] { write_loop(); });
}

RecordStore::~RecordStore() {
  {
    const std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  writer_.join();
  sqlite3_finalize(upsert_);
  sqlite3_finalize(select_one_);
  sqlite3_finalize(delete_one_);
  sqlite3_close(db_);
}

void RecordStore::exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(std::string("sqlite: ") + message + " in " + sql);
  }
}

void RecordStore::prepare(const char* sql, sqlite3_stmt** statement) {
  if (sqlite3_prepare_v2(db_, sql, -1, statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot prepare statement: ") + sqlite3_errmsg(db_));
  }
}

void RecordStore::open_table() {
  const auto count = [this](const char* sql) {
    sqlite3_stmt* statement = nullptr;
    prepare(sql, &statement);
    const int value = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : 0;
    sqlite3_finalize(statement);
    return value;
  };
  if (count("PRAGMA user_version") >= kLayoutVersion) return;
  const bool older = count("SELECT count(*) FROM sqlite_master WHERE name = 'records'") > 0;
  exec("BEGIN");
  if (older) exec("ALTER TABLE records RENAME TO records_v0");
  // The sequence is the rowid: a write touches one B-tree, and the natural order of query
  // results is the table's order. Not WITHOUT ROWID: with ~500-byte rows that measured slower.
  exec(
      "CREATE TABLE records (sequence INTEGER PRIMARY KEY, id TEXT NOT NULL, "
      "object TEXT NOT NULL, deleted INTEGER NOT NULL, fields BLOB NOT NULL)");
  if (older) {
    exec(
        "INSERT OR REPLACE INTO records (sequence, id, object, deleted, fields) "
        "SELECT sequence, id, object, deleted, fields FROM records_v0");
    exec("DROP TABLE records_v0");
  }
  exec(("PRAGMA user_version=" + std::to_string(kLayoutVersion)).c_str());
  exec("COMMIT");
}

void RecordStore::load() {
  sqlite3_stmt* select = nullptr;
  prepare("SELECT sequence, id, object, deleted, fields FROM records ORDER BY sequence", &select);
  while (sqlite3_step(select) == SQLITE_ROW) {
    auto record = decode_row(schema_, select);
    if (!record) continue;
    next_sequence_ = std::max(next_sequence_, record->sequence + 1);
    const auto key = key_of(record->id);
    if (!key) continue;
    auto owned = std::make_unique<Record>(std::move(*record));
    by_object_[owned->object].insert(owned.get());
    by_id_.emplace(*key, std::move(owned));
  }
  sqlite3_finalize(select);
}

std::optional<RecordStore::IdKey> RecordStore::key_of(std::string_view id) {
  if (id.size() != 18) return std::nullopt;
  IdKey key;
  for (std::size_t i = 0; i < 15; ++i) {
    const char c = id[i];
    std::uint64_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<std::uint64_t>(c - '0');
    } else if (c >= 'A' && c <= 'Z') {
      digit = static_cast<std::uint64_t>(c - 'A' + 10);
    } else if (c >= 'a' && c <= 'z') {
      digit = static_cast<std::uint64_t>(c - 'a' + 36);
    } else {
      return std::nullopt;
    }
    std::uint64_t& half = i < 10 ? key.head : key.tail;
    half = half << 6 | digit;
  }
  return key;
}

std::size_t RecordStore::IdKeyHash::operator()(const IdKey& key) const {
  std::uint64_t hash = key.head ^ (key.tail * 0x9E3779B97F4A7C15ULL);
  hash ^= hash >> 29;
  hash *= 0xBF58476D1CE4E5B9ULL;
  return static_cast<std::size_t>(hash ^ (hash >> 32));
}

Record* RecordStore::find(std::string_view id18) {
  const auto key = key_of(id18);
  if (!key) return nullptr;
  const auto it = by_id_.find(*key);
  // The key leaves out the suffix: an id with a wrong one is not this record.
  return it == by_id_.end() || it->second->id != id18 ? nullptr : it->second.get();
}

const std::vector<Record*>& RecordStore::records_of(const ObjectDef& object) const {
  static const std::vector<Record*> kNone;
  const auto it = by_object_.find(&object);
  return it == by_object_.end() ? kNone : it->second.compacted();
}

void RecordStore::Listing::insert(Record* record) {
  const auto at = std::lower_bound(sequences.begin(), sequences.end(), record->sequence);
  records.insert(records.begin() + (at - sequences.begin()), record);
  sequences.insert(at, record->sequence);
}

void RecordStore::Listing::remove(const Record* record) {
  const auto at = std::lower_bound(sequences.begin(), sequences.end(), record->sequence);
  if (at == sequences.end() || *at != record->sequence) return;
  auto& slot = records[static_cast<std::size_t>(at - sequences.begin())];
  if (slot != record) return;
  slot = nullptr;
  ++holes;
}

const std::vector<Record*>& RecordStore::Listing::compacted() {
  if (holes == 0) return records;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i] == nullptr) continue;
    records[kept] = records[i];
    sequences[kept] = sequences[i];
    ++kept;
  }
  records.resize(kept);
  sequences.resize(kept);
  holes = 0;
  return records;
}

std::string RecordStore::next_id(const ObjectDef& object) {
  std::string id;
  do {
    id = make_id(object.key_prefix, next_sequence_++);
  } while (find(id) != nullptr);
  return id;
}

Record& RecordStore::insert(Record record) {
  const auto key = key_of(record.id);
  if (!key) throw std::invalid_argument("not an 18-char record id: " + record.id);
  record.sequence = next_sequence_++;
  auto owned = std::make_unique<Record>(std::move(record));
  Record& stored = *owned;
  auto& slot = by_id_[*key];
  if (slot != nullptr) {
    // Rows are keyed by sequence: the replaced record's row goes explicitly.
    Row row;
    row.kind = Row::Kind::Erase;
    row.sequence = slot->sequence;
    if (journaling_) touched_.emplace_back(slot->id, slot->sequence);
    enqueue(row, nullptr);
    by_object_[slot->object].remove(slot.get());
  }
  by_object_[stored.object].insert(owned.get());
  slot = std::move(owned);
  save(stored);
  return stored;
}

void RecordStore::save(const Record& record) {
  if (journaling_) touched_.emplace_back(record.id, record.sequence);
  Row row;
  std::copy_n(record.id.begin(), std::min(record.id.size(), row.id.size()), row.id.begin());
  row.object = &record.object->name;
  row.sequence = record.sequence;
  row.deleted = record.deleted;
  enqueue(row, &record);
}

const std::vector<std::string>& RecordStore::stored_keys(const ObjectDef& object) {
  auto& keys = stored_keys_[&object];
  if (keys.size() != object.fields.size()) keys = stored_field_keys(object);
  return keys;
}

void RecordStore::apply(const Row& row, const std::string& fields) {
  if (row.kind == Row::Kind::Clear) return exec("DELETE FROM records");
  sqlite3_stmt* statement = row.kind == Row::Kind::Erase ? delete_one_ : upsert_;
  sqlite3_reset(statement);
  sqlite3_bind_int64(statement, 1, static_cast<sqlite3_int64>(row.sequence));
  if (row.kind == Row::Kind::Upsert) {
    // SQLITE_STATIC: the bytes outlive the step below, so SQLite need not copy them.
    sqlite3_bind_text(statement, 2, row.id.data(), static_cast<int>(row.id.size()), SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, row.object->data(), static_cast<int>(row.object->size()),
                      SQLITE_STATIC);
    sqlite3_bind_int(statement, 4, row.deleted ? 1 : 0);
    sqlite3_bind_blob(statement, 5, fields.data() + row.fields_offset,
                      static_cast<int>(row.fields_size), SQLITE_STATIC);
  }
  if (sqlite3_step(statement) != SQLITE_DONE) {
    throw std::runtime_error(std::string("sqlite write failed: ") + sqlite3_errmsg(db_));
  }
}

void RecordStore::enqueue(Row row, const Record* record) {
  if (direct_) {
    direct_fields_.clear();
    if (record != nullptr)
      append_stored_fields(*record, stored_keys(*record->object), direct_fields_);
    row.fields_size = direct_fields_.size();
    const std::lock_guard lock(db_mutex_);
    return apply(row, direct_fields_);
  }
  const std::vector<std::string>* keys =
      record != nullptr ? &stored_keys(*record->object) : nullptr;
  bool wake = false;
  {
    // Encoded straight into the queue's buffer: a memcpy per value, short enough to hold the lock.
    const std::lock_guard lock(queue_mutex_);
    row.fields_offset = queued_.fields.size();
    if (record != nullptr) append_stored_fields(*record, *keys, queued_.fields);
    row.fields_size = queued_.fields.size() - row.fields_offset;
    queued_.rows.push_back(row);
    wake = transaction_depth_ == 0 || queued_.rows.size() % kWakeEvery == 0;
  }
  if (wake) queue_changed_.notify_one();
}

void RecordStore::flush() {
  std::unique_lock lock(queue_mutex_);
  queue_changed_.notify_one();
  queue_drained_.wait(lock, [this] { return queued_.rows.empty() && !writing_; });
}

void RecordStore::write_loop() {
  Queue batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queued_.rows.empty(); });
      if (queued_.rows.empty()) return;  // stopping, and everything is written
      std::swap(batch, queued_);
      writing_ = true;
    }
    {
      const std::lock_guard lock(db_mutex_);
      try {
        exec("BEGIN");
        for (const auto& row : batch.rows)
          apply(row, batch.fields);
        exec("COMMIT");
      } catch (const std::exception& error) {
        // No request is waiting to be told; the in-memory org stays right for this run.
        std::fprintf(stderr, "crmsync-sandbox: %s\n", error.what());
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      }
    }
    batch.rows.clear();
    batch.fields.clear();
    {
      const std::lock_guard lock(queue_mutex_);
      writing_ = false;
    }
    queue_drained_.notify_all();
  }
}

void RecordStore::forget(const std::string& id18) {
  const auto key = key_of(id18);
  const auto it = key ? by_id_.find(*key) : by_id_.end();
  if (it == by_id_.end()) return;
  by_object_[it->second->object].remove(it->second.get());
  by_id_.erase(it);
}

void RecordStore::erase(const std::string& id18) {
  const Record* record = find(id18);
  if (record == nullptr) return;
  Row row;
  row.kind = Row::Kind::Erase;
  row.sequence = record->sequence;
  if (journaling_) touched_.emplace_back(id18, row.sequence);
  forget(id18);
  enqueue(row, nullptr);
}

void RecordStore::reload(const std::string& id18, std::uint64_t sequence) {
  sqlite3_reset(select_one_);
  sqlite3_bind_int64(select_one_, 1, static_cast<sqlite3_int64>(sequence));
  std::optional<Record> stored;
  if (sqlite3_step(select_one_) == SQLITE_ROW) stored = decode_row(schema_, select_one_);
  sqlite3_reset(select_one_);
  Record* current = find(id18);
  if (!stored) {
    // Written inside the transaction only (unless the id now names another row's record).
    if (current != nullptr && current->sequence == sequence) forget(id18);
    return;
  }
  if (current != nullptr) {
    if (current->sequence != sequence)
      forget(id18);  // a record that replaced it goes
    else {
      *current = std::move(*stored);
      return;
    }
  }
  // Erased inside the transaction: it comes back in its original place in insertion order.
  const auto key = key_of(id18);
  if (!key) return;
  auto owned = std::make_unique<Record>(std::move(*stored));
  by_object_[owned->object].insert(owned.get());
  by_id_.emplace(*key, std::move(owned));
}

void RecordStore::begin_undoable() {
  flush();
  const std::lock_guard lock(db_mutex_);
  exec("BEGIN");
  direct_ = true;
  journaling_ = true;
  touched_.clear();
}

void RecordStore::end_undoable(bool keep) {
  const std::lock_guard lock(db_mutex_);
  direct_ = false;
  journaling_ = false;
  if (keep) {
    exec("COMMIT");
  } else {
    exec("ROLLBACK");
    for (const auto& [id, sequence] : touched_)
      reload(id, sequence);
  }
  touched_.clear();
}

void RecordStore::clear() {
  Row row;
  row.kind = Row::Kind::Clear;
  enqueue(row, nullptr);
  by_object_.clear();
  by_id_.clear();
}

void RecordStore::begin() {
  ++transaction_depth_;
}

void RecordStore::commit() {
  if (--transaction_depth_ == 0) queue_changed_.notify_one();
}

}  // namespace sandbox::salesforce
