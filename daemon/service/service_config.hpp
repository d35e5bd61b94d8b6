// daemon/service/service_config.hpp — what the daemon takes from crmsync.yaml: the configuration
// loaded *and* every mapping validated (the same checks as `crmsync validate`, so a reload never
// accepts what validate would refuse), and the sources to schedule and watch.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/service/cycle_scheduler.hpp"

namespace crmsync::service {

// nullptr when the configuration or any mapping has an error; `diags` says which.
std::shared_ptr<const Config> load_service_config(const std::filesystem::path& path,
                                                  Diagnostics& diags);

// Folder sources rescan on their own `rescan_every`; other kinds on `fallback_interval`.
std::vector<ScheduledSource> scheduled_sources(const Config& config,
                                               std::chrono::milliseconds fallback_interval);

}  // namespace crmsync::service
