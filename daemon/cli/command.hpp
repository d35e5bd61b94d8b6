// daemon/cli/command.hpp — how a subcommand plugs into `crmsync`: it adds itself to the CLI11 app
// and returns the code to exit with. Every command is listed in commands.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config/crmsync_config.hpp"

namespace crmsync::cli {

// Options every command sees.
struct GlobalOptions {
  std::string config_file;  // -c; empty = $CRMSYNC_CONFIG or /etc/crmsync/crmsync.yaml
  int verbosity = 0;        // -v count
};

using CommandRunner = std::function<int()>;

// Once a command has loaded the configuration: its log level applies unless -v asked for more.
void apply_log_settings(const Config& config, const GlobalOptions& global);

// The configuration a command runs with (-c, else $CRMSYNC_CONFIG, else the default), validated,
// its log level applied. Diagnostics go to stderr; nullopt means: exit 78.
std::optional<Config> load_command_config(const GlobalOptions& global);

struct CommandRegistration {
  // Adds the subcommand and its options to `app`; returns what runs it once parsed.
  std::function<CommandRunner(CLI::App& app, const GlobalOptions& global)> add;
};

const std::vector<CommandRegistration>& commands();

// The commands, one per file.
CommandRunner add_validate_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_docs_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_state_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_preview_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_plan_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_sync_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_review_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_run_command(CLI::App& app, const GlobalOptions& global);
CommandRunner add_status_command(CLI::App& app, const GlobalOptions& global);

}  // namespace crmsync::cli
