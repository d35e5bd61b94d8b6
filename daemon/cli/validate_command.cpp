// `crmsync validate`: the configuration and every mapping, offline, in milliseconds. Exit 0 when
// clean (warnings allowed), 78 (EX_CONFIG) with file:line:col diagnostics on stderr otherwise.
#include <fmt/format.h>

#include <iostream>

#include "core/error.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"

namespace crmsync::cli {

CommandRunner add_validate_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "validate", "Check the configuration and every mapping; exit 78 with diagnostics if wrong");
  command->footer(
      "Offline: no CRM is contacted. Diagnostics point at file:line:column with a suggestion.");
  return [&global]() {
    Diagnostics diags;
    const auto path = default_config_path(global.config_file);
    const auto config = load_config(path, diags);
    std::cerr << diags.render();
    if (!config || diags.has_errors()) {
      std::cerr << fmt::format("{}: {} error{}, {} warning{}\n", path.string(), diags.error_count(),
                               diags.error_count() == 1 ? "" : "s", diags.warning_count(),
                               diags.warning_count() == 1 ? "" : "s");
      return kExitConfig;
    }
    std::cout << fmt::format(
        "{}: OK ({} CRM: {}, {} source{}{})\n", path.string(), config->crm ? 1 : 0,
        config->crm ? config->crm->type : "none", config->sources.size(),
        config->sources.size() == 1 ? "" : "s",
        diags.warning_count() > 0 ? fmt::format(", {} warning(s)", diags.warning_count()) : "");
    return kExitOk;
  };
}

}  // namespace crmsync::cli
