// `crmsync sync --once [--json]`: one full cycle, then exit. Exit 0 when the cycle completed
// (rejected rows are reported to the reps, not failures); non-zero on config (78), auth (77) or
// CRM outage (69/75).
#include <memory>

#include "daemon/cli/command.hpp"
#include "daemon/cli/cycle_runner.hpp"

namespace crmsync::cli {

CommandRunner add_sync_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand("sync", "Run one full sync cycle and exit");
  auto options = std::make_shared<CycleCommandOptions>();
  options->apply = true;
  auto once = std::make_shared<bool>(false);
  command->add_flag("--once", *once, "run one cycle and exit (the daemon is `crmsync run`)")
      ->required();
  command->add_flag("--json", options->json, "one JSON document on stdout (summary + items)");
  command->add_option("--source", options->source, "only this source (default: all)");
  return [options, once, &global]() { return run_cycle_command(*options, global); };
}

}  // namespace crmsync::cli
