// daemon/service/daemon.hpp — `crmsync run`: the long-running service. Lifecycle:
//   load config + validate mappings -> open state -> bind the status endpoint -> schedule sources
//   and watch inboxes -> READY=1 -> serve (cycles on a worker, WATCHDOG=1 from the loop)
//   SIGHUP: RELOADING=1, re-read and validate; on error keep the old configuration; READY=1
//   SIGTERM/SIGINT: STOPPING=1, take no more work, ask the cycle in flight to park (its stop flag),
//   wait up to stop_timeout, close the state database.
// One io_context runs signals, timers, inotify and the status endpoint; no busy polling.
// The sync engine is injected (CycleRunnerFactory) so this library never links it: `crmsync run`
// wires reconcile::run_cycle, tests wire fakes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "daemon/config/crmsync_config.hpp"
#include "daemon/reconcile/sync_cycle.hpp"
#include "daemon/service/status_report.hpp"

namespace crmsync::state {
class StateStore;
}

namespace crmsync::service {

class ServiceMetrics;

struct CycleOutcome {
  reconcile::CycleSummary summary;
  ApiAllowance api;  // the CRM's reported allowance after the cycle, when it says
};

// Runs one cycle on a worker thread. Throws crmsync::Error for what stops a whole cycle.
using CycleRunner =
    std::function<CycleOutcome(const Config&, state::StateStore&, const reconcile::CycleOptions&)>;
// Builds the runner for a configuration (at start and after each successful reload: the CRM
// connection follows the configuration). Throws Error(config) to refuse the configuration.
using CycleRunnerFactory = std::function<CycleRunner(const Config&)>;

struct DaemonOptions {
  std::filesystem::path config_file;
  // How long SIGTERM waits for the cycle in flight to park; below systemd's TimeoutStopSec.
  std::chrono::milliseconds stop_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds debounce{std::chrono::milliseconds(500)};
  // Interval for sources without their own (non-folder sources).
  std::chrono::milliseconds default_interval{std::chrono::minutes(5)};
  bool handle_signals = true;
  // After each successful (re)load, e.g. to apply the log level. Loop thread.
  std::function<void(const Config&)> on_config;
  // Milestones for tests and diagnostics: "ready", "reloaded", "reload_failed", "cycle:<source>",
  // "stopping", "stopped". Called on the loop thread, except "cycle:" (on the worker).
  std::function<void(const std::string& event)> observer;
};

class Daemon {
 public:
  Daemon(DaemonOptions options, CycleRunnerFactory make_runner);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Runs until stopped; returns the process exit code: 0 after a clean stop, 78 when the
  // configuration is invalid at start, the Error category's code for other start failures, 75
  // when the cycle in flight did not park within the stop timeout.
  int run();

  // Any thread.
  void request_stop();
  void request_reload();
  void request_cycles();  // a cycle of every source now
  // Valid once "ready" was observed.
  std::uint16_t status_port() const;
  const ServiceMetrics& metrics() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace crmsync::service
