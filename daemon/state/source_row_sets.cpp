#include "daemon/state/source_row_sets.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <tuple>
#include <utility>

#include "core/error.hpp"
#include "core/text/json_writer.hpp"

namespace crmsync::state {
namespace {

bool in_file_order(const StoredRow& a, const StoredRow& b) {
  return std::tie(a.sheet, a.row_number) < std::tie(b.sheet, b.row_number);
}

// Rejected or in review: an unchanged file lists these rows; the others it may only count.
bool listed(const StoredRow& row) {
  return row.status == "rejected" || row.status == "review";
}

[[noreturn]] void malformed(std::string_view what, std::string_view why) {
  throw Error(ErrorCategory::config,
              fmt::format("state database: {} is not a row set crmsync wrote ({}); restore a "
                          "backup made with `crmsync state backup`",
                          what, why));
}

std::optional<std::string> optional_string(simdjson::dom::element value, std::string_view what) {
  if (value.is_null()) return std::nullopt;
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) malformed(what, "a value is not text");
  return std::string(text);
}

std::string string_at(simdjson::dom::array row, std::size_t at, std::string_view what) {
  simdjson::dom::element value;
  if (row.at(at).get(value) != simdjson::SUCCESS) malformed(what, "a row is too short");
  return optional_string(value, what).value_or("");
}

}  // namespace

namespace {
constexpr std::uint32_t kEmptySlot = UINT32_MAX;

std::size_t hash_of(std::string_view object, std::string_view row_key) {
  const std::hash<std::string_view> hash;
  return hash(row_key) * 31 + hash(object);
}
}  // namespace

std::size_t SourceRowSet::slot_of(std::string_view object, std::string_view row_key) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = hash_of(object, row_key) & mask;
  for (; slots_[slot] != kEmptySlot; slot = (slot + 1) & mask) {
    const auto& row = rows_[slots_[slot]];
    if (row.row_key == row_key && row.object == object) break;
  }
  return slot;
}

void SourceRowSet::insert_slot(std::size_t row) const {
  slots_[slot_of(rows_[row].object, rows_[row].row_key)] = static_cast<std::uint32_t>(row);
}

void SourceRowSet::index() const {
  index_for(rows_.size() + 1);
}

void SourceRowSet::index_for(std::size_t rows) const {
  // Kept under half full, rebuilt whole when it would pass that.
  if (!slots_.empty() && rows * 2 <= slots_.size()) return;
  if (rows > kEmptySlot / 4)
    throw Error(ErrorCategory::permanent, "a source file has more rows than crmsync can track");
  std::size_t size = 1024;
  while (size < rows * 4)
    size *= 2;
  slots_.assign(size, kEmptySlot);
  for (std::size_t i = 0; i < rows_.size(); ++i)
    insert_slot(i);
}

const StoredRow* SourceRowSet::find(std::string_view object, std::string_view row_key) const {
  index();
  const auto row = slots_[slot_of(object, row_key)];
  return row == kEmptySlot ? nullptr : &rows_[row];
}

StoredRow* SourceRowSet::find(std::string_view object, std::string_view row_key) {
  const auto* found = std::as_const(*this).find(object, row_key);
  return found == nullptr ? nullptr : &rows_[static_cast<std::size_t>(found - rows_.data())];
}

StoredRow& SourceRowSet::slot(std::string_view object, std::string_view row_key) {
  index();
  const auto slot = slot_of(object, row_key);
  if (slots_[slot] != kEmptySlot) return rows_[slots_[slot]];
  slots_[slot] = static_cast<std::uint32_t>(rows_.size());
  auto& row = rows_.emplace_back();
  row.object = object;
  row.row_key = row_key;
  return row;
}

void SourceRowSet::reserve_more(std::size_t more) {
  // Never less than doubling: a sync of small chunks (200 rows each for sObject Collections)
  // reserves again for each, and growing to the exact size each time moved every row each time.
  if (const auto needed = rows_.size() + more; needed > rows_.capacity())
    rows_.reserve(std::max(needed, 2 * rows_.capacity()));
  index_for(rows_.size() + more);
}

StoredRow& SourceRowSet::put(StoredRow row) {
  auto& stored = slot(row.object, row.row_key);
  stored = std::move(row);
  return stored;
}

// Appended as text, as the plan's items are: a 100k-row part is a million values, and
// JsonWriter's comma bookkeeping for each was a third of the part's making.
std::string rows_json(std::span<const StoredRow* const> rows) {
  // Its size, near enough (escapes aside): a 100k-row part is 14 MB, which grown by doubling
  // was copied and faulted in twice over.
  std::size_t bytes = 2;
  for (const auto* row : rows)
    bytes += 64 + row->object.size() + row->row_key.size() + row->content_hash.size()
             + (row->applied_hash ? row->applied_hash->size() : 0)
             + (row->crm_id ? row->crm_id->size() : 0) + row->sheet.size() + row->status.size()
             + row->reason.size();
  std::string json;
  json.reserve(bytes);
  json += '[';
  const auto optional_text = [&](const std::optional<std::string>& value) {
    json += ',';
    if (value)
      append_json_string(json, *value);
    else
      json += "null";
  };
  for (const auto* row : rows) {
    json += json.size() == 1 ? "[" : ",[";
    append_json_string(json, row->object);
    json += ',';
    append_json_string(json, row->row_key);
    json += ',';
    append_json_string(json, row->content_hash);
    optional_text(row->applied_hash);
    optional_text(row->crm_id);
    json += ',';
    append_json_string(json, row->sheet);
    json += ',';
    append_json_integer(json, row->row_number);
    json += ',';
    append_json_string(json, row->status);
    json += ',';
    if (row->last_seen_run)
      append_json_integer(json, *row->last_seen_run);
    else
      json += "null";
    json += ',';
    append_json_string(json, row->reason);
    json += ']';
  }
  json += ']';
  return json;
}

void parse_rows_json(std::string_view json, std::string_view what, std::vector<StoredRow>& out) {
  simdjson::dom::parser parser;
  simdjson::dom::array rows;
  if (parser.parse(simdjson::padded_string(json)).get_array().get(rows) != simdjson::SUCCESS)
    malformed(what, "not a JSON array");
  out.reserve(out.size() + rows.size());
  for (auto element : rows) {
    simdjson::dom::array row;
    if (element.get_array().get(row) != simdjson::SUCCESS || row.size() != 10)
      malformed(what, "a row is not an array of 10 values");
    StoredRow stored;
    stored.object = string_at(row, 0, what);
    stored.row_key = string_at(row, 1, what);
    stored.content_hash = string_at(row, 2, what);
    stored.applied_hash = optional_string(row.at(3).value_unsafe(), what);
    stored.crm_id = optional_string(row.at(4).value_unsafe(), what);
    stored.sheet = string_at(row, 5, what);
    if (row.at(6).get_int64().get(stored.row_number) != simdjson::SUCCESS)
      malformed(what, "a row number is not an integer");
    stored.status = string_at(row, 7, what);
    if (const auto run = row.at(8).value_unsafe(); !run.is_null()) {
      std::int64_t id = 0;
      if (run.get_int64().get(id) != simdjson::SUCCESS) malformed(what, "a run is not an integer");
      stored.last_seen_run = id;
    }
    stored.reason = string_at(row, 9, what);
    out.push_back(std::move(stored));
  }
}

SourceRowSets::Loaded SourceRowSets::load(std::int64_t item_id) {
  Loaded loaded;
  auto& rows = loaded.set.rows_;
  auto select =
      db_.prepare("SELECT part, rows_json FROM source_row_sets WHERE item_id = ? ORDER BY part");
  select.bind(1, item_id);
  std::vector<StoredRow> part;
  while (select.step()) {
    const auto what =
        fmt::format("part {} of the rows of source item {}", select.integer(0), item_id);
    if (loaded.parts++ == 0) {
      parse_rows_json(select.text_view(1), what, rows);
      continue;
    }
    // A chunk's rows, recorded after the rows were last written whole: they replace the ones
    // they changed.
    part.clear();
    parse_rows_json(select.text_view(1), what, part);
    for (auto& row : part)
      loaded.set.put(std::move(row));
  }
  if (!std::is_sorted(rows.begin(), rows.end(), in_file_order)) {
    std::stable_sort(rows.begin(), rows.end(), in_file_order);
    loaded.set.forget_index();
  }
  return loaded;
}

SourceRowSets::Loaded& SourceRowSets::loaded(std::int64_t item_id) {
  const auto found = sets_.find(item_id);
  if (found != sets_.end()) return found->second;
  return sets_.emplace(item_id, load(item_id)).first->second;
}

const SourceRowSet& SourceRowSets::read(std::int64_t item_id) {
  return loaded(item_id).set;
}

SourceRowSet& SourceRowSets::change(std::int64_t item_id) {
  auto& set = loaded(item_id);
  set.changed = true;
  return set.set;
}

SourceRowSet& SourceRowSets::change_in_part(std::int64_t item_id) {
  return loaded(item_id).set;
}

std::optional<ListedRows> SourceRowSets::listed_rows(std::int64_t item_id) {
  auto select = db_.prepare(
      "SELECT part, settled_rows, listed_json FROM source_row_sets WHERE item_id = ? LIMIT 2");
  select.bind(1, item_id);
  ListedRows rows;
  if (!select.step()) return rows;
  const auto part = select.integer(0);
  rows.settled = select.integer(1);
  parse_rows_json(select.text_view(2),
                  fmt::format("the listed rows of part {} of source item {}", part, item_id),
                  rows.listed);
  if (select.step()) return std::nullopt;
  return rows;
}

namespace {

// The part's rows in file order: a file's only part replays without a sort.
std::vector<const StoredRow*> in_order(std::vector<const StoredRow*> rows) {
  if (!std::is_sorted(rows.begin(), rows.end(),
                      [](const auto* a, const auto* b) { return in_file_order(*a, *b); }))
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto* a, const auto* b) { return in_file_order(*a, *b); });
  return rows;
}

std::vector<const StoredRow*> listed_of(const std::vector<const StoredRow*>& rows) {
  std::vector<const StoredRow*> listed_rows;
  for (const auto* row : rows)
    if (listed(*row)) listed_rows.push_back(row);
  return listed_rows;
}

std::int64_t settled_count(const std::vector<const StoredRow*>& rows) {
  return std::count_if(rows.begin(), rows.end(),
                       [](const auto* row) { return !listed(*row) && row->status != "removed"; });
}

}  // namespace

// Each part carries its settled count and listed rows: they are the file's when the part is its
// only one.
SourceRowSets::Part SourceRowSets::make_part(std::int64_t item_id,
                                             std::span<const StoredRow* const> rows) {
  const auto ordered = in_order({rows.begin(), rows.end()});
  return {item_id, settled_count(ordered), rows_json(ordered), rows_json(listed_of(ordered))};
}

void SourceRowSets::insert_part(std::int64_t part_number, const Part& part) {
  auto insert = db_.prepare(
      "INSERT INTO source_row_sets (item_id, part, settled_rows, rows_json, listed_json) "
      "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, part.item_id).bind(2, part_number).bind(3, part.settled_rows);
  insert.bind_unowned(4, part.rows_json).bind_unowned(5, part.listed_json).run();
}

void SourceRowSets::append_part(std::int64_t item_id, std::span<const StoredRow* const> changed) {
  if (changed.empty()) return;
  append_part(make_part(item_id, changed));
}

void SourceRowSets::append_part(Part part) {
  // The part number first: an INSERT ... SELECT from its own table would copy the row set through
  // a temporary table (15 MB through a file in /var/tmp for a 100k-row file).
  auto next =
      db_.prepare("SELECT coalesce(max(part), 0) + 1 FROM source_row_sets WHERE item_id = ?");
  next.bind(1, part.item_id).step();
  insert_part(next.integer(0), part);
  ++loaded(part.item_id).parts;
}

void SourceRowSets::update() {
  auto remove = db_.prepare("DELETE FROM source_row_sets WHERE item_id = ?");
  for (auto& [item_id, loaded] : sets_) {
    if (!loaded.changed && loaded.parts <= 1) continue;
    remove.bind(1, item_id).run();
    remove.reset();
    loaded.changed = false;
    loaded.parts = 0;
    const auto& stored = loaded.set.rows();
    if (stored.empty()) continue;
    std::vector<const StoredRow*> rows;
    rows.reserve(stored.size());
    for (const auto& row : stored)
      rows.push_back(&row);
    insert_part(0, make_part(item_id, rows));
    loaded.parts = 1;
  }
}

}  // namespace crmsync::state
