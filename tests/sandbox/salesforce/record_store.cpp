#include "salesforce/record_store.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <stdexcept>

#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

// How many queued rows wake the writer before the call's commit(): a Bulk job's rows then reach
// SQLite while the job is still being processed.
constexpr std::size_t kWakeEvery = 512;

// The stored form of a record: a JSON object of its non-null values by field name, each by its C++
// type, not by the field's wire format, so no field lookup is needed per value. Keyed by name, not
// slot, so a state dir survives a schema file that adds or reorders fields. This runs once per
// written record (Bulk loads are hot), so it appends to a reused buffer instead of going through
// json::Writer.
void encode_fields(const Record& record, const std::vector<std::string>& keys, std::string& out) {
  out.clear();
  std::size_t size = 2;  // one allocation for the whole text (unless values need escapes)
  for (std::size_t i = 0; i < record.values.size() && i < keys.size(); ++i) {
    const auto* text = std::get_if<std::string>(&record.values[i]);
    size += is_null(record.values[i]) ? 0 : keys[i].size() + (text ? text->size() + 3 : 25);
  }
  out.reserve(size);
  out.push_back('{');
  for (std::size_t i = 0; i < record.values.size() && i < keys.size(); ++i) {
    const Value& value = record.values[i];
    if (is_null(value)) continue;
    if (out.size() > 1) out.push_back(',');
    out += keys[i];
    if (const auto* number = std::get_if<double>(&value)) {
      fmt::format_to(std::back_inserter(out), "{}", *number);  // full precision for any type
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      out += *flag ? "true" : "false";
    } else {
      json::append_escaped(out, std::get<std::string>(value));
    }
  }
  out.push_back('}');
}

// A record from a row of (id, object, sequence, deleted, fields); std::nullopt when its object
// is no longer in the schema.
std::optional<Record> decode_row(const Schema& schema, sqlite3_stmt* row,
                                 simdjson::dom::parser& parser) {
  const auto column = [row](int index) {
    const auto* text = sqlite3_column_text(row, index);
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(sqlite3_column_bytes(row, index)));
  };
  const ObjectDef* object = schema.find(column(1));
  if (object == nullptr) return std::nullopt;  // an object dropped from the schema file since
  Record record = Record::of(*object);
  record.id = column(0);
  record.sequence = static_cast<std::uint64_t>(sqlite3_column_int64(row, 2));
  record.deleted = sqlite3_column_int(row, 3) != 0;
  simdjson::dom::object fields;
  if (parser.parse(column(4)).get_object().get(fields) != simdjson::SUCCESS) return std::nullopt;
  for (auto [key, element] : fields) {
    const FieldDef* field = object->find_field(key);
    if (field == nullptr) continue;
    Value& value = record.values[field->index];
    if (element.is_bool()) {
      value = bool(element.get_bool().value());
    } else if (element.is_number()) {
      value = double(element.get_double().value());
    } else if (element.is_string()) {
      value = std::string(element.get_string().value());
    }
  }
  return record;
}

}  // namespace

RecordStore::RecordStore(const Schema& schema, const std::string& state_dir) : schema_(schema) {
  std::filesystem::create_directories(state_dir);
  const std::string path = state_dir + "/salesforce.sqlite3";
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db_));
  }
  exec("PRAGMA journal_mode=WAL");
  // A test org needs to survive a restart, not a power cut: no fsync on the write path.
  exec("PRAGMA synchronous=OFF");
  // A Bulk job writes its rows in one transaction; a small page cache would spill it mid-way.
  exec("PRAGMA cache_size=-65536");
  // Not WITHOUT ROWID: with ~500-byte rows that measured slower (B-tree cells too large).
  exec(
      "CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, object TEXT NOT NULL, "
      "sequence INTEGER NOT NULL, deleted INTEGER NOT NULL, fields TEXT NOT NULL)");
  if (sqlite3_prepare_v2(db_,
                         "INSERT OR REPLACE INTO records (id, object, sequence, deleted, fields) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         -1, &upsert_, nullptr)
      != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot prepare statement: ") + sqlite3_errmsg(db_));
  }
  if (sqlite3_prepare_v2(db_,
                         "SELECT id, object, sequence, deleted, fields FROM records WHERE id = ?1",
                         -1, &select_one_, nullptr)
          != SQLITE_OK
      || sqlite3_prepare_v2(db_, "DELETE FROM records WHERE id = ?1", -1, &delete_one_, nullptr)
             != SQLITE_OK) {
    throw std::runtime_error(std::string("cannot prepare statement: ") + sqlite3_errmsg(db_));
  }
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

void RecordStore::load() {
  sqlite3_stmt* select = nullptr;
  sqlite3_prepare_v2(db_,
                     "SELECT id, object, sequence, deleted, fields FROM records ORDER BY sequence",
                     -1, &select, nullptr);
  simdjson::dom::parser parser;
  while (sqlite3_step(select) == SQLITE_ROW) {
    auto record = decode_row(schema_, select, parser);
    if (!record) continue;
    next_sequence_ = std::max(next_sequence_, record->sequence + 1);
    const auto key = key_of(record->id);
    if (!key) continue;
    auto owned = std::make_unique<Record>(std::move(*record));
    by_object_[owned->object].push_back(owned.get());
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
  return it == by_object_.end() ? kNone : it->second;
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
    auto& list = by_object_[slot->object];
    list.erase(std::remove(list.begin(), list.end(), slot.get()), list.end());
  }
  by_object_[stored.object].push_back(owned.get());
  slot = std::move(owned);
  save(stored);
  return stored;
}

void RecordStore::save(const Record& record) {
  if (journaling_) touched_.push_back(record.id);
  Row row;
  row.id = record.id;
  row.object = &record.object->name;
  row.sequence = record.sequence;
  row.deleted = record.deleted;
  encode_fields(record, encoded_keys(*record.object), row.fields);
  enqueue(std::move(row));
}

const std::vector<std::string>& RecordStore::encoded_keys(const ObjectDef& object) {
  auto& keys = encoded_keys_[&object];
  if (keys.size() != object.fields.size()) {
    keys.clear();
    for (const auto& field : object.fields) {
      std::string key;
      json::append_escaped(key, field.name);
      keys.push_back(key + ":");
    }
  }
  return keys;
}

void RecordStore::apply(const Row& row) {
  if (row.kind == Row::Kind::Clear) return exec("DELETE FROM records");
  sqlite3_stmt* statement = row.kind == Row::Kind::Erase ? delete_one_ : upsert_;
  sqlite3_reset(statement);
  // SQLITE_STATIC: the strings outlive the step below, so SQLite need not copy them.
  sqlite3_bind_text(statement, 1, row.id.data(), static_cast<int>(row.id.size()), SQLITE_STATIC);
  if (row.kind == Row::Kind::Upsert) {
    sqlite3_bind_text(statement, 2, row.object->data(), static_cast<int>(row.object->size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(statement, 3, static_cast<sqlite3_int64>(row.sequence));
    sqlite3_bind_int(statement, 4, row.deleted ? 1 : 0);
    sqlite3_bind_text(statement, 5, row.fields.data(), static_cast<int>(row.fields.size()),
                      SQLITE_STATIC);
  }
  if (sqlite3_step(statement) != SQLITE_DONE) {
    throw std::runtime_error(std::string("sqlite write failed: ") + sqlite3_errmsg(db_));
  }
}

void RecordStore::enqueue(Row row) {
  if (direct_) {
    const std::lock_guard lock(db_mutex_);
    return apply(row);
  }
  bool wake = false;
  {
    const std::lock_guard lock(queue_mutex_);
    queued_.push_back(std::move(row));
    wake = transaction_depth_ == 0 || queued_.size() % kWakeEvery == 0;
  }
  if (wake) queue_changed_.notify_one();
}

void RecordStore::flush() {
  std::unique_lock lock(queue_mutex_);
  queue_changed_.notify_one();
  queue_drained_.wait(lock, [this] { return queued_.empty() && !writing_; });
}

void RecordStore::write_loop() {
  std::vector<Row> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
      if (queued_.empty()) return;  // stopping, and everything is written
      batch.swap(queued_);
      writing_ = true;
    }
    {
      const std::lock_guard lock(db_mutex_);
      try {
        exec("BEGIN");
        for (const auto& row : batch)
          apply(row);
        exec("COMMIT");
      } catch (const std::exception& error) {
        // No request is waiting to be told; the in-memory org stays right for this run.
        std::fprintf(stderr, "crmsync-sandbox: %s\n", error.what());
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      }
    }
    batch.clear();
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
  auto& list = by_object_[it->second->object];
  list.erase(std::remove(list.begin(), list.end(), it->second.get()), list.end());
  by_id_.erase(it);
}

void RecordStore::erase(const std::string& id18) {
  if (journaling_) touched_.push_back(id18);
  forget(id18);
  Row row;
  row.kind = Row::Kind::Erase;
  row.id = id18;
  enqueue(std::move(row));
}

void RecordStore::reload(const std::string& id18) {
  sqlite3_reset(select_one_);
  sqlite3_bind_text(select_one_, 1, id18.c_str(), -1, SQLITE_TRANSIENT);
  simdjson::dom::parser parser;
  std::optional<Record> stored;
  if (sqlite3_step(select_one_) == SQLITE_ROW) stored = decode_row(schema_, select_one_, parser);
  sqlite3_reset(select_one_);
  if (!stored) return forget(id18);
  if (Record* current = find(id18)) {
    *current = std::move(*stored);
    return;
  }
  // Erased inside the transaction: it comes back in its original place in insertion order.
  const auto key = key_of(id18);
  if (!key) return;
  auto owned = std::make_unique<Record>(std::move(*stored));
  auto& list = by_object_[owned->object];
  const auto place = std::lower_bound(
      list.begin(), list.end(), owned->sequence,
      [](const Record* record, std::uint64_t sequence) { return record->sequence < sequence; });
  list.insert(place, owned.get());
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
    for (const auto& id : touched_)
      reload(id);
  }
  touched_.clear();
}

void RecordStore::clear() {
  Row row;
  row.kind = Row::Kind::Clear;
  enqueue(std::move(row));
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
