// daemon/cli/cycle_runner.hpp — what `crmsync plan` and `crmsync sync --once` share: load the
// configuration, open the state store, connect the CRM, run one cycle, print the plan.
#pragma once

#include "daemon/cli/command.hpp"

namespace crmsync::cli {

struct CycleCommandOptions {
  bool apply = false;  // sync: write to the CRM; plan: a dry run
  bool json = false;
  std::string source;  // only this source; empty = all
};

int run_cycle_command(const CycleCommandOptions& options, const GlobalOptions& global);

}  // namespace crmsync::cli
