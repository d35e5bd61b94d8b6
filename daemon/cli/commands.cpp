#include "core/logging/logging.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"

namespace crmsync::cli {

// The commands of the command-line contract (DESIGN.md), in `crmsync --help` order. Commands
// whose engine is not built yet are absent, not stubbed.
const std::vector<CommandRegistration>& commands() {
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
  return all;
}

void apply_log_settings(const Config& config, const GlobalOptions& global) {
  if (global.verbosity == 0) set_log_level(config.log.level);
}

}  // namespace crmsync::cli
