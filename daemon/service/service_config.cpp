#include "daemon/service/service_config.hpp"

#include "connectors/folder/folder_settings.hpp"
#include "mappings/mapping_loader.hpp"

namespace crmsync::service {

std::shared_ptr<const Config> load_service_config(const std::filesystem::path& path,
                                                  Diagnostics& diags) {
  auto config = load_config(path, diags);
  if (!config) return nullptr;
  mappings::validate_mapping_dir(config->mappings_dir, diags);
  if (diags.has_errors()) return nullptr;
  return std::make_shared<const Config>(std::move(*config));
}

std::vector<ScheduledSource> scheduled_sources(const Config& config,
                                               std::chrono::milliseconds fallback_interval) {
  std::vector<ScheduledSource> sources;
  for (const auto& source : config.sources) {
    ScheduledSource scheduled{source->name, fallback_interval};
    if (const auto* folder = dynamic_cast<const folder::FolderSettings*>(source.get()))
      if (folder->rescan_every.count() > 0) scheduled.interval = folder->rescan_every;
    sources.push_back(scheduled);
  }
  return sources;
}

}  // namespace crmsync::service
