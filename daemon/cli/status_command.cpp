// `crmsync status [--json]`: what the running daemon reports on its status endpoint (/status);
// when no daemon answers, the same report read from the state database: recent runs, outbox
// depth, open reviews. Exit 0 either way (the JSON's "daemon" is null when it did not answer).
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/service/state_figures.hpp"
#include "daemon/service/status_client.hpp"
#include "daemon/service/status_report.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::cli {
namespace {

constexpr auto kDaemonDeadline = std::chrono::seconds(3);

service::StatusReport report_from_state(const Config& config) {
  service::StatusReport report;
  for (const auto& source : config.sources)
    report.sources.emplace_back().name = source->name;
  // Not creating a database that does not exist yet: that is the daemon's first start.
  if (!std::filesystem::exists(config.state_dir / state::StateStore::kFileName)) return report;
  auto store = state::StateStore::open(config.state_dir);
  const auto figures = service::read_state_figures(*store, 10);
  report.recent_runs = figures.recent_runs;
  report.outbox_pending = figures.outbox_pending;
  report.outbox_failed = figures.outbox_failed;
  report.review_open = figures.review_open;
  return report;
}

}  // namespace

CommandRunner add_status_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "status", "Last runs, outbox depth, review queue, CRM API usage, per-source state");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "one JSON document on stdout");
  command->footer(
      "Asks the running daemon (status.listen); when it does not answer, reads the state "
      "database instead.");
  return [&global, json]() {
    const auto config = load_command_config(global);
    if (!config) return kExitConfig;
    const auto answer = service::fetch_status(
        config->status.listen, *json ? "/status" : "/status?format=text", kDaemonDeadline);
    if (answer) {
      std::cout << *answer;
      return kExitOk;
    }
    const auto report = report_from_state(*config);
    std::cout << (*json ? service::status_json(report) : service::status_text(report));
    return kExitOk;
  };
}

}  // namespace crmsync::cli
