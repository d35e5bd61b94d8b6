// `crmsync state backup FILE`: a consistent copy of the state database, safe while the daemon runs
// (SQLite's online backup API).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::cli {

CommandRunner add_state_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand("state", "Maintain the state database");
  command->require_subcommand(1);
  auto* backup = command->add_subcommand(
      "backup", "Write a consistent copy of the state database to FILE (safe while running)");
  auto destination = std::make_shared<std::string>();
  backup->add_option("FILE", *destination, "where to write the copy")->required();
  return [&global, destination]() {
    const auto config = load_command_config(global);
    if (!config) return kExitConfig;
    auto store = state::StateStore::open(config->state_dir);
    store->backup_to(*destination);
    std::cout << fmt::format("backed up {} (schema {}) to {}\n", store->path().string(),
                             store->schema_version(), *destination);
    return kExitOk;
  };
}

}  // namespace crmsync::cli
