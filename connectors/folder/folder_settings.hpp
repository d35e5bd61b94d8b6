// connectors/folder/folder_settings.hpp — a `sources:` entry with `type: folder`: the inbox reps
// drop their files into.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
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

// What crmsync knows of one rep beyond their folder.
struct RepSettings {
  std::string rep;           // the rep's subfolder name
  std::string phone_region;  // ISO 3166 region of their numbers written without a country code
  SourceLocation phone_region_at;
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
  std::vector<RepSettings> reps;

  // The settings of the rep whose folder this is (names compared ignoring ASCII case, as mail
  // addresses are); nullptr when `reps:` names them not.
  const RepSettings* settings_of_rep(std::string_view rep) const;
};

const settings::Spec<FolderSettings>& folder_settings_spec();

}  // namespace crmsync::folder
