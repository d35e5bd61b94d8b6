// connectors/folder/folder_settings.hpp — a `sources:` entry with `type: folder`: the inbox reps
// drop their files into.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "connectors/settings_base.hpp"
#include "core/settings/spec.hpp"

namespace crmsync::folder {

enum class OwnerFrom { subfolder };
enum class InboxMode { mirror, consume };
// What a row deleted from a mirrored file does. crmsync never deletes CRM records.
enum class RemovedRows {
  ignore,  // the record and the row's link stay; nothing is written
  flag,    // the linked record's `removed_flag_field` gets a note: which file, row and rep
  unlink,  // the link is forgotten: if the row comes back it is matched afresh
};

// Which mapping reads which files.
struct FileMapping {
  std::vector<std::string> files;  // glob patterns, e.g. "*.xlsx" "*.csv"
  std::string use;                 // mapping name: <mappings_dir>/<use>.yaml
  SourceLocation use_at;           // where `use:` was written, for later diagnostics
};

struct FolderSettings final : SourceSettings {
  std::filesystem::path path;
  OwnerFrom owner_from{};
  InboxMode mode{};
  std::vector<FileMapping> mappings;
  std::chrono::milliseconds stable_for{};
  std::chrono::milliseconds rescan_every{};
  std::int64_t max_file_mib = 0;
  RemovedRows removed_rows{};
  std::string removed_flag_field;  // removed_rows: flag
};

const settings::Spec<FolderSettings>& folder_settings_spec();

}  // namespace crmsync::folder
