// `crmsync run`: the daemon, as crmsync.service starts it (Type=notify). The service runtime lives
// in daemon/service; this file wires it to the real engine: each cycle is reconcile::run_cycle
// against the configured CRM connector, rebuilt whenever a reload changes the configuration.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <memory>

#include "connectors/crm_factory.hpp"
#include "core/error.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/reconcile/sync_cycle.hpp"
#include "daemon/service/daemon.hpp"

namespace crmsync::cli {
namespace {

service::CycleRunner engine_runner(const Config& config) {
  std::shared_ptr<Crm> crm = connectors::make_crm(*config.crm);
  return [crm](const Config& current, state::StateStore& store,
               const reconcile::CycleOptions& options) {
    auto result = reconcile::run_cycle(current, store, *crm, options);
    service::CycleOutcome outcome;
    outcome.summary = std::move(result.summary);
    const auto usage = crm->usage();
    outcome.api.used = usage.used;
    outcome.api.limit = usage.limit;
    return outcome;
  };
}

}  // namespace

CommandRunner add_run_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "run", "Run the service: sync each source on change and on its interval (crmsync.service)");
  auto stop_timeout = std::make_shared<int>(60);
  command
      ->add_option("--stop-timeout", *stop_timeout,
                   "seconds SIGTERM waits for the batch in flight to park (keep it below the "
                   "unit's TimeoutStopSec)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  command->footer(
      "Signals: SIGHUP re-reads the configuration and mappings (refused with diagnostics if "
      "invalid, the service keeps running on the previous ones); SIGTERM/SIGINT park the batch in "
      "flight and stop. Status: http://<status.listen>/healthz, /metrics, /status.");
  return [&global, stop_timeout]() {
    service::DaemonOptions options;
    options.config_file = default_config_path(global.config_file);
    options.stop_timeout = std::chrono::seconds(*stop_timeout);
    options.on_config = [&global](const Config& config) { apply_log_settings(config, global); };
    auto daemon = std::make_unique<service::Daemon>(std::move(options), &engine_runner);
    const int code = daemon->run();
    if (code == kExitTempFail) {
      // A worker is still inside a cycle that did not park in time: leave without destroying
      // what it uses. The outbox makes the interrupted batch safe to resume at the next start.
      static_cast<void>(daemon.release());
      spdlog::shutdown();
      std::_Exit(code);
    }
    return code;
  };
}

}  // namespace crmsync::cli
