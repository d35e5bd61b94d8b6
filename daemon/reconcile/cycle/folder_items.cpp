#include "daemon/reconcile/cycle/folder_items.hpp"

#include <fmt/format.h>
#include <fnmatch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "connectors/folder/inbox/content_hash.hpp"
#include "connectors/folder/inbox/file_name.hpp"
#include "connectors/folder/inbox/inbox_layout.hpp"
#include "connectors/folder/inbox/safe_open.hpp"
#include "connectors/folder/readers/pipelined_read.hpp"
#include "core/error.hpp"
#include "core/text/fnv1a.hpp"
#include "core/threads/in_two_halves.hpp"
#include "daemon/state/source_row_sets.hpp"
#include "daemon/state/state_store.hpp"
#include "mappings/compiled_mapping.hpp"
#include "mappings/transforms/phone.hpp"

namespace crmsync::reconcile {
namespace {

// A row mapped on the reader's thread (see RecordPreparer).
struct MappedRecord final : folder::PreparedRecord {
  mappings::MappedRow row;
};

// Maps rows on the reader's thread, with a compiled mapping of its own: a compiled mapping
// caches its transforms' results, so each thread compiles its own.
class MappingPreparer final : public folder::RecordPreparer {
 public:
  MappingPreparer(const mappings::Mapping& mapping, mappings::CompileOptions options)
      : mapping_(mapping), options_(std::move(options)) {}
  std::unique_ptr<folder::PreparedRecord> prepare(const Record& record) override {
    if (!compiled_ || header_ != record.header.get()) {
      compiled_.emplace(mapping_, *record.header, options_);
      header_ = record.header.get();
    }
    auto mapped = std::make_unique<MappedRecord>();
    compiled_->map(record, mapped->row);
    return mapped;
  }

 private:
  const mappings::Mapping& mapping_;
  mappings::CompileOptions options_;
  const Header* header_ = nullptr;
  std::optional<mappings::CompiledMapping> compiled_;
};

// Maps each row as the reader streams it; compiles the mapping once per table (header).
class MappingSink final : public folder::RecordSink {
 public:
  MappingSink(const mappings::Mapping& mapping, mappings::CompileOptions options,
              std::int64_t item_id, Plan& plan, SourceCounts& counts)
      : mapping_(mapping),
        options_(std::move(options)),
        item_id_(item_id),
        plan_(plan),
        counts_(counts) {}

  void on_table(const folder::TableInfo& info, std::shared_ptr<const Header> header) override {
    compiled_.emplace(mapping_, *header, options_);
    // Grown by doubling, a 100k-row file's rows were moved some 17 times over (0.1 s).
    if (info.rows_hint > 0) plan_.rows.reserve(plan_.rows.size() + info.rows_hint);
  }
  void on_record(Record&& record) override {
    if (!compiled_) compiled_.emplace(mapping_, *record.header, options_);
    // Mapped where the plan keeps it: through a scratch row it was moved twice more, 0.5 KB a
    // row (a reused scratch row would only be copied into a new one each time).
    auto& row = plan_.rows.emplace_back();
    row.item_id = item_id_;
    compiled_->map(record, row.mapped);
    if (!count(row.mapped)) plan_.rows.pop_back();
  }
  std::unique_ptr<folder::RecordPreparer> preparer() override {
    return std::make_unique<MappingPreparer>(mapping_, options_);
  }
  void on_prepared(Record&&, std::unique_ptr<folder::PreparedRecord> prepared) override {
    add(std::move(static_cast<MappedRecord&>(*prepared).row));
  }
  void on_row_error(RowError&& error) override {
    ++counts_.rows_read;
    ++counts_.rows_rejected;
    SourceRow row;
    row.item_id = item_id_;
    row.mapped.outcome = mappings::MappedRow::Outcome::rejected;
    row.mapped.from = error.from;
    row.mapped.rejection = mappings::Rejection{error.column, "", "", "", error.reason};
    plan_.rows.push_back(std::move(row));
  }

 private:
  // Counts a mapped row; false when it is skipped (a note, a total), which the plan does not keep.
  bool count(const mappings::MappedRow& mapped) {
    ++counts_.rows_read;
    if (mapped.outcome == mappings::MappedRow::Outcome::skipped) {
      ++plan_.skipped_rows;
      return false;
    }
    if (mapped.outcome == mappings::MappedRow::Outcome::rejected)
      ++counts_.rows_rejected;
    else
      ++counts_.rows_mapped;
    return true;
  }
  void add(mappings::MappedRow&& mapped) {
    if (!count(mapped)) return;
    auto& row = plan_.rows.emplace_back();
    row.item_id = item_id_;
    row.mapped = std::move(mapped);
  }

  const mappings::Mapping& mapping_;
  mappings::CompileOptions options_;
  std::int64_t item_id_;
  Plan& plan_;
  SourceCounts& counts_;
  std::optional<mappings::CompiledMapping> compiled_;
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string row_key_of(const mappings::MappedRow& row) {
  std::string key;
  if (const auto* primary = row.primary()) {
    for (const auto& part : primary->key) {
      if (!key.empty()) key += '\x1f';
      key += part;
    }
  }
  if (key.find_first_not_of('\x1f') != std::string::npos) return key;
  // No key values: the row is known by what it says. Its line number would not do: deleting a row
  // moves every row below it up a line, onto the link and the record of the row above.
  const auto* primary = row.primary();
  if (primary == nullptr) return fmt::format("row:{}:{}", row.from.sheet, row.from.row);
  Fnv1a64 hasher;
  for (const auto& field : primary->fields) {
    hasher.add_part(field.name);
    hasher.add_part(field.value);
  }
  return fmt::format("row:{}:{}", row.from.sheet, hasher.hex());
}

std::string content_hash_of(const mappings::MappedRow& row) {
  Fnv1a64 hasher;
  for (const auto& record : row.records) {
    hasher.add_part(record.object);
    for (const auto& field : record.fields) {
      hasher.add_part(field.name);
      hasher.add_part(field.value);
    }
    for (const auto& reference : record.references) {
      hasher.add_part(reference.field);
      hasher.add_part(reference.value);
    }
  }
  return hasher.hex();
}

const mappings::Mapping* FolderItems::mapping_for(const std::string& file_name) const {
  for (const auto& entry : settings_.mappings)
    for (const auto& pattern : entry.files)
      if (fnmatch(pattern.c_str(), file_name.c_str(), FNM_CASEFOLD) == 0) {
        const auto found = mappings_.find(entry.use);
        return found == mappings_.end() ? nullptr : &found->second;
      }
  return nullptr;
}

mappings::CompileOptions FolderItems::compile_options_for(const std::string& rep) const {
  mappings::CompileOptions options;
  if (const auto* settings = settings_.settings_of_rep(rep))
    options.phone_region = mappings::phone_region(settings->phone_region).value_or("");
  return options;
}

std::int64_t FolderItems::item_id_for(const std::string& rep, const std::string& path) {
  auto& db = store_.connection();
  auto insert = db.prepare(
      "INSERT INTO source_items (source, owner, path, status) VALUES (?, ?, ?, 'new') "
      "ON CONFLICT (source, owner, path) DO NOTHING");
  insert.bind(1, settings_.name).bind(2, rep).bind(3, path).run();
  auto select =
      db.prepare("SELECT id FROM source_items WHERE source = ? AND owner = ? AND path = ?");
  select.bind(1, settings_.name).bind(2, rep).bind(3, path);
  select.step();
  return select.integer(0);
}

std::vector<SourceItem> FolderItems::read(Plan& plan, SourceCounts& counts,
                                          const std::atomic<bool>* stop) {
  folder::InboxOptions options;
  options.root = settings_.path;
  options.max_file_bytes = static_cast<std::uint64_t>(settings_.max_file_mib) << 20;
  const auto scan = folder::scan_inbox(options);
  for (const auto& refused : scan.refused) {
    ++counts.files_failed;
    spdlog::warn("inbox {}: refused {}: {}", settings_.name, folder::escape_for_log(refused.key()),
                 refused.detail);
  }
  const auto root = folder::open_inbox_root(settings_.path);
  const auto stable_before = now_ms() - settings_.stable_for.count();

  std::vector<SourceItem> items;
  for (const auto& file : scan.files) {
    if (stop && stop->load()) break;
    const auto file_name = std::filesystem::path(file.relative_path).filename().string();
    const auto* mapping = mapping_for(file_name);
    if (mapping == nullptr) {
      spdlog::info("inbox {}: no mapping reads {}; left alone", settings_.name,
                   folder::escape_for_log(file.key()));
      continue;
    }
    SourceItem item;
    item.source = settings_.name;
    item.rep = file.rep;
    item.path = file.relative_path;
    item.size = file.size;
    item.mtime_ms = file.mtime_ns / 1'000'000;
    item.file = file;
    // Still being written (a copy in progress, Excel saving): the next cycle reads it whole.
    if (item.mtime_ms > stable_before) {
      spdlog::info("inbox {}: {} changed in the last {} ms; read next cycle", settings_.name,
                   folder::escape_for_log(file.key()), settings_.stable_for.count());
      continue;
    }
    item.item_id = item_id_for(item.rep, item.path);
    item.first_row = plan.rows.size();
    const auto compile_options = compile_options_for(item.rep);
    item.read_with = Fnv1a64()
                         .add_part(CRMSYNC_VERSION)
                         .add_part(mapping->fingerprint)
                         .add_part(compile_options.phone_region)
                         .hex();
    try {
      auto opened = folder::open_regular_beneath(root.get(), file.key(), options.max_file_bytes,
                                                 &file.identity);
      item.hash = folder::sha256_hex_of_fd(opened.fd.get());
      auto known = store_.connection().prepare(
          "SELECT coalesce(content_hash, ''), status, coalesce(read_with, '') FROM source_items "
          "WHERE id = ?");
      known.bind(1, item.item_id);
      known.step();
      // An edited mapping or rep setting re-reads the file: rows it now maps alike cost nothing.
      if (known.text(0) == item.hash && known.text(2) == item.read_with
          && (known.text(1) == "synced" || known.text(1) == "failed")) {
        item.unchanged = true;
        ++counts.files_unchanged;
        replay_rows(item, plan);
      } else {
        folder::ReadOptions read;
        read.source = settings_.name;
        read.owner = item.rep;
        read.item = item.path;
        read.modified = file.modified();
        read.header_hint = mappings::header_hint(*mapping);
        read.limits.max_file_bytes = options.max_file_bytes;
        if (!mapping->sheet.empty()) read.sheet = mapping->sheet;
        MappingSink sink(*mapping, compile_options, item.item_id, plan, counts);
        // Read through the descriptor that was checked, never by name again: /proc/self/fd
        // reopens that very file, so a name swapped since the scan cannot redirect the read.
        folder::read_file_pipelined(fmt::format("/proc/self/fd/{}", opened.fd.get()), read, sink);
        ++counts.files_read;
        attach_state(item, plan);
      }
    } catch (const Error& e) {
      if (e.category() == ErrorCategory::transient) {
        spdlog::warn("inbox {}: {} changed while read; read next cycle", settings_.name,
                     folder::escape_for_log(file.key()));
        plan.rows.resize(item.first_row);
        continue;
      }
      plan.rows.resize(item.first_row);
      item.error = e.what();
      ++counts.files_failed;
      spdlog::warn("inbox {}: cannot read {}: {}", settings_.name,
                   folder::escape_for_log(file.key()), item.error);
    }
    item.row_count = plan.rows.size() - item.first_row;
    items.push_back(std::move(item));
  }
  if (!(stop && stop->load())) plan_deleted_items(scan, plan);
  return items;
}

void FolderItems::replay_rows(SourceItem& item, Plan& plan) {
  // The rows a report or a reviewer still needs are listed; the rest, when nothing prints
  // them, are only counted: when the file's rows are one part, without reading them.
  state::SourceRowSets row_sets(store_.connection());
  const auto replay = [&](const state::StoredRow& stored) {
    SourceRow row;
    row.item_id = item.item_id;
    row.from_unchanged_file = true;
    row.row_key = stored.row_key;
    row.content_hash = stored.content_hash;
    row.linked_id = stored.crm_id;
    row.mapped.from.source = item.source;
    row.mapped.from.owner = item.rep;
    row.mapped.from.item = item.path;
    row.mapped.from.sheet = stored.sheet;
    row.mapped.from.row = static_cast<std::uint32_t>(stored.row_number);
    row.stored_status = stored.status;
    row.stored_reason = stored.reason;
    plan.rows.push_back(std::move(row));
  };
  if (!list_unchanged_) {
    plan.unlisted_items.push_back(item.item_id);
    if (const auto rows = row_sets.listed_rows(item.item_id)) {
      plan.unchanged_unlisted += rows->settled;
      for (const auto& stored : rows->listed)
        replay(stored);
      return;
    }
  }
  for (const auto& stored : row_sets.read(item.item_id).rows()) {
    if (stored.status == "removed") continue;
    if (!list_unchanged_ && stored.status != "rejected" && stored.status != "review") {
      ++plan.unchanged_unlisted;
      continue;
    }
    replay(stored);
  }
}

// Row keys, content hashes, and what the state store remembers of each row: its link and a
// human's review decision.
void FolderItems::attach_state(SourceItem& item, Plan& plan) {
  auto& db = store_.connection();
  struct Stored {
    std::optional<std::string> crm_id;
    std::string object, sheet;
    std::int64_t row_number = 0;
    bool removed = false;  // already gone in an earlier cycle
    bool seen = false;     // in the file as read now
  };
  std::unordered_map<std::string, Stored> stored;
  {
    state::SourceRowSets row_sets(db);
    const auto& rows = row_sets.read(item.item_id).rows();
    stored.reserve(rows.size());
    for (const auto& row : rows)
      stored[row.row_key] = {row.crm_id, row.object, row.sheet, row.row_number,
                             row.status == "removed"};
  }
  std::unordered_map<std::string, std::pair<std::string, std::optional<std::string>>> reviews;
  {
    auto select = db.prepare(
        "SELECT row_key, state, decided_crm_id FROM review_queue WHERE item_id = ? "
        "AND state != 'open' ORDER BY id");
    select.bind(1, item.item_id);
    while (select.step())
      reviews[select.text(0)] = {select.text(1), select.optional_text(2)};
  }
  // Keyed by views of the rows' own keys: a copy of each was 0.1 s of a 100k-row read. Only a
  // row seen before has its key changed, never the first, whose view the map holds.
  // Each row's key and hash are its own: worked out in two halves, on two threads for a large
  // file, while the reader's thread is done.
  in_two_halves(plan.rows.size() - item.first_row, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = item.first_row + begin; i < item.first_row + end; ++i) {
      auto& row = plan.rows[i];
      row.row_key = row_key_of(row.mapped);
      // Its values are in row_key now, and nothing reads them again: freed here, their memory
      // (0.1 KB a row) holds the plan's instead of pages touched for the first time.
      if (!row.mapped.records.empty())
        std::vector<std::string>().swap(row.mapped.records.back().key);
      row.content_hash = content_hash_of(row.mapped);
    }
  });
  std::unordered_map<std::string_view, int> seen;
  seen.reserve(plan.rows.size() - item.first_row);
  for (std::size_t i = item.first_row; i < plan.rows.size(); ++i) {
    auto& row = plan.rows[i];
    // The same key twice in one file (a row repeated): each copy keeps its own identity.
    if (const int n = ++seen[row.row_key]; n > 1) row.row_key += fmt::format("#{}", n);
    if (const auto found = stored.find(row.row_key); found != stored.end()) {
      row.linked_id = found->second.crm_id;
      found->second.seen = true;
    }
    if (const auto review = reviews.find(row.row_key); review != reviews.end()) {
      if (review->second.first == "accepted") row.reviewed_id = review->second.second;
      if (review->second.first == "rejected") row.review_rejected = true;
    }
  }
  // Linked rows an earlier cycle recorded that the rep has deleted since (consume mode moves files
  // away whole, so only a mirrored file loses rows).
  if (settings_.mode != folder::InboxMode::mirror) return;
  const auto first_removed = plan.removed.size();
  for (const auto& [key, was] : stored) {
    // A row never linked to a record (rejected, in review) just leaves the file; the recorder
    // forgets it.
    if (was.seen || was.removed || !was.crm_id) continue;
    RemovedRow removed;
    removed.item_id = item.item_id;
    removed.object = was.object;
    removed.row_key = key;
    removed.crm_id = was.crm_id.value_or("");
    removed.from.source = item.source;
    removed.from.owner = item.rep;
    removed.from.item = item.path;
    removed.from.sheet = was.sheet;
    removed.from.row = static_cast<std::uint32_t>(was.row_number);
    apply_removed_policy(removed);
    plan.removed.push_back(std::move(removed));
  }
  std::sort(plan.removed.begin() + static_cast<std::ptrdiff_t>(first_removed), plan.removed.end(),
            [](const RemovedRow& a, const RemovedRow& b) {
              return std::tie(a.from.sheet, a.from.row) < std::tie(b.from.sheet, b.from.row);
            });
}

void FolderItems::apply_removed_policy(RemovedRow& removed) const {
  switch (settings_.removed_rows) {
    case folder::RemovedRows::ignore:
      removed.action = RemovedRow::Action::ignore;
      break;
    case folder::RemovedRows::flag:
      removed.action = RemovedRow::Action::flag;
      removed.flag_field = settings_.removed_flag_field;
      break;
    case folder::RemovedRows::unlink:
      removed.action = RemovedRow::Action::unlink;
      break;
  }
}

// A file the rep deleted from a mirrored inbox: each of its linked rows goes the way of a row
// deleted from its file. Once none is left to settle, the file is listed in plan.deleted_items:
// the sync that records the cycle marks it deleted, and it is no longer looked for; if it comes
// back, it is read as a changed file.
void FolderItems::plan_deleted_items(const folder::ScanResult& scan, Plan& plan) {
  if (settings_.mode != folder::InboxMode::mirror) return;
  auto& db = store_.connection();
  struct Known {
    std::int64_t id;
    std::string rep, path;
  };
  std::vector<Known> known;
  {
    auto select = db.prepare(
        "SELECT id, owner, path FROM source_items WHERE source = ? AND status NOT IN "
        "('consumed', 'deleted')");
    select.bind(1, settings_.name);
    while (select.step())
      known.push_back({select.integer(0), select.text(1), select.text(2)});
  }
  if (known.empty()) return;
  // An inbox with no file at all is more likely an unmounted share than every rep deleting
  // everything: nothing is taken for deleted. Nor is anything in a folder the scan could not read.
  if (scan.files.empty()) {
    spdlog::warn("inbox {}: no files at all; not treating the {} file(s) read before as deleted",
                 settings_.name, known.size());
    return;
  }
  std::set<std::string> present, unreadable_reps;
  for (const auto& file : scan.files)
    present.insert(file.key());
  for (const auto& refused : scan.refused)
    unreadable_reps.insert(refused.rep);
  state::SourceRowSets row_sets(db);
  for (const auto& item : known) {
    if (present.contains(item.rep + '/' + item.path)) continue;
    if (unreadable_reps.contains(item.rep)) {
      spdlog::info(
          "inbox {}: {} is missing, but the scan refused part of its folder: not taken "
          "for deleted",
          settings_.name, folder::escape_for_log(item.rep + '/' + item.path));
      continue;
    }
    const auto first_removed = plan.removed.size();
    for (const auto& row : row_sets.read(item.id).rows()) {
      if (row.status == "removed" || !row.crm_id) continue;
      RemovedRow removed;
      removed.item_id = item.id;
      removed.row_key = row.row_key;
      removed.crm_id = *row.crm_id;
      removed.object = row.object;
      removed.from.source = settings_.name;
      removed.from.owner = item.rep;
      removed.from.item = item.path;
      removed.from.sheet = row.sheet;
      removed.from.row = static_cast<std::uint32_t>(row.row_number);
      apply_removed_policy(removed);
      plan.removed.push_back(std::move(removed));
    }
    if (plan.removed.size() > first_removed) {
      spdlog::info("inbox {}: {} was deleted; {} linked row(s) go by removed_rows", settings_.name,
                   folder::escape_for_log(item.rep + '/' + item.path),
                   plan.removed.size() - first_removed);
      continue;
    }
    plan.deleted_items.push_back(item.id);
  }
}

}  // namespace crmsync::reconcile
