// daemon/config/crmsync_config.hpp — crmsync.yaml: its declared settings and the loader that
// turns a file into a validated Config or a list of diagnostics.
#pragma once

#include <spdlog/common.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/settings_base.hpp"
#include "core/diagnostics/diagnostics.hpp"
#include "core/logging/logging.hpp"
#include "core/settings/spec.hpp"

namespace crmsync {

struct LogSettings {
  spdlog::level::level_enum level{};
  LogTarget target{};
};

struct StatusSettings {
  settings::HostPort listen;
};

// How a rep's row may change a record another rep owns.
enum class OtherOwnerSetting { fill_empty, as_mapped, review };

// How sure matching must be, and what a rep may do to another rep's records.
struct ReconcileSettings {
  std::int64_t match_threshold = 92;   // percent: at or above, the same person
  std::int64_t review_threshold = 80;  // percent: at or above (and below match), ask a human
  OtherOwnerSetting other_owner = OtherOwnerSetting::fill_empty;
};

struct Config {
  std::filesystem::path file;  // the file it was loaded from
  std::filesystem::path state_dir;
  std::filesystem::path mappings_dir;
  LogSettings log;
  StatusSettings status;
  ReconcileSettings reconcile;
  std::shared_ptr<CrmSettings> crm;
  std::vector<std::shared_ptr<SourceSettings>> sources;
};

const settings::Spec<Config>& config_spec();

// The config file to use: the -c value, else $CRMSYNC_CONFIG, else /etc/crmsync/crmsync.yaml.
std::filesystem::path default_config_path(const std::string& from_command_line);

// Loads and validates. Every problem is reported to `diags`; nullopt when any is an error.
std::optional<Config> load_config(const std::filesystem::path& path, Diagnostics& diags);

}  // namespace crmsync
