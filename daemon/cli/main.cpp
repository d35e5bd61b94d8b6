// crmsync: reconciles reps' spreadsheets and contacts into the CRM. This file wires the
// subcommands (daemon/cli/commands.cpp) to CLI11 and maps failures to the contract's exit codes.
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "core/logging/logging.hpp"
#include "daemon/cli/command.hpp"

#ifndef CRMSYNC_VERSION
#error "CRMSYNC_VERSION comes from the project version in CMakeLists.txt"
#endif

int main(int argc, char** argv) {
  using namespace crmsync;
  CLI::App app{"crmsync: reconcile reps' spreadsheets and contacts into the CRM", "crmsync"};
  app.set_version_flag("--version", std::string("crmsync ") + CRMSYNC_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  cli::GlobalOptions global;
  app.add_option("-c,--config", global.config_file,
                 "configuration file (default: $CRMSYNC_CONFIG, else /etc/crmsync/crmsync.yaml)");
  app.add_flag("-v,--verbose", global.verbosity, "more detail in the log (-v debug, -vv trace)");

  std::vector<std::pair<CLI::App*, cli::CommandRunner>> runners;
  for (const auto& registration : cli::commands()) {
    const auto before = app.get_subcommands({}).size();
    auto runner = registration.add(app, global);
    const auto subcommands = app.get_subcommands({});
    if (subcommands.size() > before) runners.emplace_back(subcommands.back(), std::move(runner));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 answers --help and --version with success; anything else is a usage error. Their
    // answer is output like any command's: one that cannot be written is not a success.
    if (code != 0) return kExitUsage;
    if (!std::cout.flush()) {
      std::cerr << "crmsync: the output could not be written to standard output\n";
      return kExitIoError;
    }
    return kExitOk;
  }

  // A reader of standard output that goes away (`crmsync plan --json | head`) must not kill a
  // cycle while it writes: the write fails with EPIPE instead, the cycle completes, and the
  // command says so (exit 74). A socket's peer gone is an error to handle, not a signal, too.
  std::signal(SIGPIPE, SIG_IGN);

  LogOptions log;
  log.level = global.verbosity >= 2   ? spdlog::level::trace
              : global.verbosity == 1 ? spdlog::level::debug
                                      : spdlog::level::info;
  init_logging(log);

  try {
    for (auto& [subcommand, runner] : runners)
      if (subcommand->parsed()) {
        const int code = runner();
        // Every command's output, not only a cycle's (which says more itself): a full disk or a
        // reader gone must not pass for a whole answer with exit 0.
        if (code == kExitOk && !std::cout.flush()) {
          spdlog::error("the output could not be written to standard output");
          return kExitIoError;
        }
        return code;
      }
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    return exit_code_for(e.category());
  } catch (const std::exception& e) {
    spdlog::critical("unexpected failure: {}", e.what());
    return kExitSoftware;
  }
  return kExitUsage;
}
