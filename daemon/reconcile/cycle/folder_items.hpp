// daemon/reconcile/cycle/folder_items.hpp — the folder source's part of a cycle: scan the inbox,
// skip what did not change (same content hash as last synced, read with the same mapping and
// settings: its rows are replayed from the state store, not re-read), read and map what did, and
// give every row its identity (row key) and content hash. A file that cannot be read at all is one
// failed item with its reason; it never stops the other files or reps.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "connectors/folder/folder_settings.hpp"
#include "connectors/folder/inbox/inbox_layout.hpp"
#include "daemon/reconcile/plan/plan_model.hpp"
#include "daemon/reconcile/sync_cycle.hpp"
#include "mappings/compiled_mapping.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::state {
class StateStore;
}

namespace crmsync::reconcile {

// One inbox file as this cycle saw it.
struct SourceItem {
  std::int64_t item_id = 0;
  std::string source;
  std::string rep;
  std::string path;  // relative to the rep's folder
  std::string hash;
  std::string read_with;  // mapping, rep region and crmsync version: a change re-reads the file
  std::uint64_t size = 0;
  std::int64_t mtime_ms = 0;
  bool unchanged = false;  // rows replayed from the state store
  std::string error;       // could not be read at all: the reason, for the report and the log
  std::size_t first_row = 0, row_count = 0;  // its rows in Plan::rows
  folder::InboxFile file;                    // as scanned: consume mode moves exactly this file
};

class FolderItems {
 public:
  // `mappings`: by name, loaded once per cycle.
  // `list_unchanged`: put every row of an unchanged file in `plan.rows` (the plan document lists
  // them); otherwise only its rejected and review rows, the rest counted in the plan.
  FolderItems(const folder::FolderSettings& settings,
              const std::map<std::string, mappings::Mapping>& mappings, state::StateStore& store,
              bool list_unchanged = true)
      : settings_(settings), mappings_(mappings), store_(store), list_unchanged_(list_unchanged) {}

  // Appends every row of the source's files to `plan.rows`; returns the items.
  std::vector<SourceItem> read(Plan& plan, SourceCounts& counts, const std::atomic<bool>* stop);

 private:
  const mappings::Mapping* mapping_for(const std::string& file_name) const;
  // The rep's own settings the mapping compiles with (their phone region).
  mappings::CompileOptions compile_options_for(const std::string& rep) const;
  std::int64_t item_id_for(const std::string& rep, const std::string& path);
  void replay_rows(SourceItem& item, Plan& plan);
  void attach_state(SourceItem& item, Plan& plan);
  void plan_deleted_items(const folder::ScanResult& scan, Plan& plan);
  // The removed_rows policy's action for a linked row that is gone.
  void apply_removed_policy(RemovedRow& removed) const;

  const folder::FolderSettings& settings_;
  const std::map<std::string, mappings::Mapping>& mappings_;
  state::StateStore& store_;
  bool list_unchanged_;
};

// The mapping's `key:` values joined; for a row without any, a hash of its record's fields (its
// position only when it holds no record).
std::string row_key_of(const mappings::MappedRow& row);
// A hash of everything the row would write: a changed value changes it, a moved row does not.
std::string content_hash_of(const mappings::MappedRow& row);

}  // namespace crmsync::reconcile
