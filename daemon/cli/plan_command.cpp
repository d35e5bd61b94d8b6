// `crmsync plan [--json]`: a dry run of one full cycle against the CRM — what would be created,
// updated, left alone, rejected or asked about, and why. Reads the CRM; writes nothing to it.
#include <memory>

#include "daemon/cli/command.hpp"
#include "daemon/cli/cycle_runner.hpp"

namespace crmsync::cli {

CommandRunner add_plan_command(CLI::App& app, const GlobalOptions& global) {
  auto* command =
      app.add_subcommand("plan", "Dry run of one cycle: what would change in the CRM, and why");
  auto options = std::make_shared<CycleCommandOptions>();
  command->add_flag("--json", options->json, "one JSON document on stdout (summary + items)");
  command->add_option("--source", options->source, "only this source (default: all)");
  command->footer("Nothing is written to the CRM; the local CRM index is refreshed.");
  return [options, &global]() { return run_cycle_command(*options, global); };
}

}  // namespace crmsync::cli
