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

struct Config {
  std::filesystem::path file;  // the file it was loaded from
  std::filesystem::path state_dir;
  std::filesystem::path mappings_dir;
  LogSettings log;
  StatusSettings status;
  std::shared_ptr<CrmSettings> crm;
  std::vector<std::shared_ptr<SourceSettings>> sources;
};

const settings::Spec<Config>& config_spec();

// The config file to use: the -c value, else $CRMSYNC_CONFIG, else /etc/crmsync/crmsync.yaml.
std::filesystem::path default_config_path(const std::string& from_command_line);

// Loads and validates. Every problem is reported to `diags`; nullopt when any is an error.
std::optional<Config> load_config(const std::filesystem::path& path, Diagnostics& diags);

}  // namespace crmsync
