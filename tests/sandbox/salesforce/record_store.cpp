#include "salesforce/record_store.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

// The stored form of a record: values by their C++ type, not by the field's wire format, so no
// field lookup is needed per value (this runs once per written record: Bulk loads are hot).
std::string encode_fields(const Record& record) {
  json::Writer out;
  out.begin_object();
  for (const auto& [name, value] : record.fields) {
    out.key(name);
    if (const auto* number = std::get_if<double>(&value)) {
      out.raw(fmt::format("{}", *number));  // full precision regardless of the field type
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      out.boolean(*flag);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      out.string(*text);
    } else {
      out.null();
    }
  }
  out.end_object();
  return out.take();
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
  Record record;
  record.id = column(0);
  record.object = object;
  record.sequence = static_cast<std::uint64_t>(sqlite3_column_int64(row, 2));
  record.deleted = sqlite3_column_int(row, 3) != 0;
  simdjson::dom::object fields;
  if (parser.parse(column(4)).get_object().get(fields) != simdjson::SUCCESS) return std::nullopt;
  for (auto [key, element] : fields) {
    if (object->find_field(key) == nullptr) continue;
    Value value;
    if (element.is_bool()) {
      value = bool(element.get_bool().value());
    } else if (element.is_number()) {
      value = double(element.get_double().value());
    } else if (element.is_string()) {
      value = std::string(element.get_string().value());
    }
    record.fields.emplace(std::string(key), std::move(value));
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
}

RecordStore::~RecordStore() {
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
    auto owned = std::make_unique<Record>(std::move(*record));
    by_object_[owned->object].push_back(owned.get());
    by_id_.emplace(owned->id, std::move(owned));
  }
  sqlite3_finalize(select);
}

Record* RecordStore::find(const std::string& id18) {
  const auto it = by_id_.find(id18);
  return it == by_id_.end() ? nullptr : it->second.get();
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
  } while (by_id_.count(id) != 0);
  return id;
}

Record& RecordStore::insert(Record record) {
  record.sequence = next_sequence_++;
  auto owned = std::make_unique<Record>(std::move(record));
  Record& stored = *owned;
  by_object_[stored.object].push_back(owned.get());
  by_id_[stored.id] = std::move(owned);
  save(stored);
  return stored;
}

void RecordStore::save(const Record& record) {
  if (journaling_) touched_.push_back(record.id);
  const std::string fields = encode_fields(record);
  sqlite3_reset(upsert_);
  sqlite3_bind_text(upsert_, 1, record.id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(upsert_, 2, record.object->name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(upsert_, 3, static_cast<sqlite3_int64>(record.sequence));
  sqlite3_bind_int(upsert_, 4, record.deleted ? 1 : 0);
  sqlite3_bind_text(upsert_, 5, fields.c_str(), static_cast<int>(fields.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(upsert_) != SQLITE_DONE) {
    throw std::runtime_error(std::string("sqlite write failed: ") + sqlite3_errmsg(db_));
  }
}

void RecordStore::forget(const std::string& id18) {
  const auto it = by_id_.find(id18);
  if (it == by_id_.end()) return;
  auto& list = by_object_[it->second->object];
  list.erase(std::remove(list.begin(), list.end(), it->second.get()), list.end());
  by_id_.erase(it);
}

void RecordStore::erase(const std::string& id18) {
  if (journaling_) touched_.push_back(id18);
  forget(id18);
  sqlite3_reset(delete_one_);
  sqlite3_bind_text(delete_one_, 1, id18.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(delete_one_) != SQLITE_DONE) {
    throw std::runtime_error(std::string("sqlite delete failed: ") + sqlite3_errmsg(db_));
  }
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
  auto owned = std::make_unique<Record>(std::move(*stored));
  auto& list = by_object_[owned->object];
  const auto place = std::lower_bound(
      list.begin(), list.end(), owned->sequence,
      [](const Record* record, std::uint64_t sequence) { return record->sequence < sequence; });
  list.insert(place, owned.get());
  by_id_.emplace(owned->id, std::move(owned));
}

void RecordStore::begin_undoable() {
  begin();
  journaling_ = true;
  touched_.clear();
}

void RecordStore::end_undoable(bool keep) {
  journaling_ = false;
  if (keep) {
    commit();
  } else {
    exec("ROLLBACK");
    transaction_depth_ = 0;
    for (const auto& id : touched_)
      reload(id);
  }
  touched_.clear();
}

void RecordStore::clear() {
  exec("DELETE FROM records");
  by_object_.clear();
  by_id_.clear();
}

void RecordStore::begin() {
  if (transaction_depth_++ == 0) exec("BEGIN");
}

void RecordStore::commit() {
  if (--transaction_depth_ == 0) exec("COMMIT");
}

}  // namespace sandbox::salesforce
