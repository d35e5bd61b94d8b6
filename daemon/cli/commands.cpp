#include <iostream>

#include "core/logging/logging.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"

namespace crmsync::cli {

// The commands of the command-line contract (DESIGN.md), in `crmsync --help` order. Commands
// whose engine is not built yet are absent, not stubbed.
const std::vector<CommandRegistration>& commands() {
  // One command a line reads as the list it is.
  // clang-format off
  static const std::vector<CommandRegistration> all{
      {add_validate_command},
      {add_preview_command},
      {add_plan_command},
      {add_sync_command},
      {add_review_command},
      {add_run_command},
      {add_status_command},
      {add_state_command},
      {add_docs_command},
  };
  // clang-format on
  return all;
}

void apply_log_settings(const Config& config, const GlobalOptions& global) {
  if (global.verbosity == 0) set_log_level(config.log.level);
}

std::optional<Config> load_command_config(const GlobalOptions& global) {
  Diagnostics diags;
  auto config = load_config(default_config_path(global.config_file), diags);
  std::cerr << diags.render();
  if (config) apply_log_settings(*config, global);
  return config;
}

}  // namespace crmsync::cli
