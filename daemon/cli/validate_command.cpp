// `crmsync validate [--online]`: the configuration and every mapping, offline, in milliseconds
// (mapping examples included). --online adds describe() against the CRM: fields exist, are
// writable, and types fit. Exit 0 when clean (warnings allowed), 78 (EX_CONFIG) with
// file:line:col diagnostics on stderr otherwise.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <set>

#include "connectors/crm_factory.hpp"
#include "connectors/folder/folder_settings.hpp"
#include "core/error.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/cli/online_schema_check.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "mappings/mapping_loader.hpp"

namespace crmsync::cli {
namespace {

// The mappings crmsync.yaml's sources name, among those that loaded.
std::vector<mappings::Mapping> mappings_in_use(const Config& config,
                                               const std::vector<mappings::Mapping>& loaded) {
  std::set<std::string> names;
  for (const auto& source : config.sources)
    if (const auto* folder = dynamic_cast<const folder::FolderSettings*>(source.get()))
      for (const auto& entry : folder->mappings)
        names.insert(entry.use);
  std::vector<mappings::Mapping> used;
  for (const auto& mapping : loaded)
    if (names.count(mapping.name) != 0) used.push_back(mapping);
  return used;
}

}  // namespace

CommandRunner add_validate_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "validate", "Check the configuration and every mapping; exit 78 with diagnostics if wrong");
  auto online = std::make_shared<bool>(false);
  command->add_flag("--online", *online,
                    "also check the mappings against the CRM's own description of its objects");
  command->footer(
      "Offline by default: no CRM is contacted. Diagnostics point at file:line:column with a "
      "suggestion.");
  return [&global, online]() {
    Diagnostics diags;
    const auto path = default_config_path(global.config_file);
    const auto config = load_config(path, diags);
    std::vector<mappings::Mapping> loaded;
    if (config) apply_log_settings(*config, global);
    if (config) loaded = mappings::validate_mapping_dir(config->mappings_dir, diags);
    if (config && *online && !diags.has_errors()) {
      auto crm = connectors::make_crm(*config->crm);
      check_mappings_online(mappings_in_use(*config, loaded), *crm, diags);
    }
    std::cerr << diags.render();
    if (!config || diags.has_errors()) {
      std::cerr << fmt::format("{}: {} error{}, {} warning{}\n", path.string(), diags.error_count(),
                               diags.error_count() == 1 ? "" : "s", diags.warning_count(),
                               diags.warning_count() == 1 ? "" : "s");
      return kExitConfig;
    }
    std::cout << fmt::format(
        "{}: OK ({} CRM, {} source{}, {} mapping{}{}{})\n", path.string(), config->crm->type,
        config->sources.size(), config->sources.size() == 1 ? "" : "s", loaded.size(),
        loaded.size() == 1 ? "" : "s", *online ? ", checked against the CRM" : "",
        diags.warning_count() > 0 ? fmt::format(", {} warning(s)", diags.warning_count()) : "");
    return kExitOk;
  };
}

}  // namespace crmsync::cli
