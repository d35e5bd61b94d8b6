// The daemon in-process with a fake engine: readiness and the systemd protocol on a real
// NOTIFY_SOCKET, the status endpoint over loopback, SIGHUP with a broken configuration, and a stop
// that parks the cycle in flight.
#include "daemon/service/daemon.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include "daemon/service/service_metrics.hpp"
#include "daemon/service/status_client.hpp"
#include "tests/unit/service/notify_socket.hpp"
#include "tests/unit/service/service_fixture.hpp"

namespace crmsync::service {
namespace {

using namespace std::chrono_literals;
using testing::ConfigDir;
using testing::EventLog;
using ::testing::HasSubstr;
using testing::NotifySocket;

// A fake engine: counts rows, remembers which configuration it ran with, and (when asked) holds
// the cycle until the stop flag is raised, as the real engine parks its batch.
struct FakeEngine {
  std::mutex mutex;
  std::vector<std::string> configs_seen;  // the first source's name, per cycle
  std::atomic<bool> hold_until_stop{false};
  std::atomic<bool> saw_stop{false};
  EventLog cycles;  // "started" as each cycle begins

  CycleRunnerFactory factory() {
    return [this](const Config&) -> CycleRunner {
      return
          [this](const Config& config, state::StateStore&, const reconcile::CycleOptions& options) {
            {
              std::lock_guard lock(mutex);
              configs_seen.push_back(config.sources.at(0)->name);
            }
            cycles.add("started");
            CycleOutcome outcome;
            outcome.summary.status = "completed";
            while (hold_until_stop && !(options.stop && options.stop->load()))
              std::this_thread::yield();
            if (options.stop && options.stop->load()) {
              saw_stop = true;
              outcome.summary.status = "parked";
            }
            outcome.summary.sources[options.only_source].rows_read = 5;
            outcome.summary.created = 1;
            outcome.api.used = 10;
            outcome.api.limit = 100;
            return outcome;
          };
    };
  }
  std::string last_config() {
    std::lock_guard lock(mutex);
    return configs_seen.empty() ? "" : configs_seen.back();
  }
};

class RunningDaemon {
 public:
  RunningDaemon(const ConfigDir& dir, FakeEngine& engine, bool handle_signals = false) {
    DaemonOptions options;
    options.config_file = dir.file();
    options.debounce = 20ms;
    options.stop_timeout = 10s;
    options.handle_signals = handle_signals;
    options.observer = [this](const std::string& event) { events.add(event); };
    daemon = std::make_unique<Daemon>(std::move(options), engine.factory());
    thread = std::thread([this] { exit_code = daemon->run(); });
  }
  ~RunningDaemon() { stop(); }
  int stop() {
    if (thread.joinable()) {
      daemon->request_stop();
      thread.join();
    }
    return exit_code;
  }
  settings::HostPort status_address() const { return {"127.0.0.1", daemon->status_port()}; }

  EventLog events;
  std::unique_ptr<Daemon> daemon;
  std::thread thread;
  int exit_code = -1;
};

TEST(Daemon, TellsSystemdReadyWatchdogReloadingAndStopping) {
  ConfigDir dir("notify");
  NotifySocket notify(dir.root() / "notify.sock");
  setenv("NOTIFY_SOCKET", (dir.root() / "notify.sock").c_str(), 1);
  setenv("WATCHDOG_USEC", "200000", 1);  // pings every 100 ms
  setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), 1);
  FakeEngine engine;
  {
    RunningDaemon running(dir, engine);
    EXPECT_THAT(notify.wait_for("READY=1"), HasSubstr("STATUS="));
    EXPECT_EQ(notify.wait_for("WATCHDOG=1"), "WATCHDOG=1");
    EXPECT_EQ(notify.wait_for("WATCHDOG=1"), "WATCHDOG=1");

    running.daemon->request_reload();
    const auto reloading = notify.wait_for("RELOADING=1");
    EXPECT_THAT(reloading, HasSubstr("MONOTONIC_USEC="));
    EXPECT_THAT(notify.wait_for("READY=1"), HasSubstr("reloaded"));

    running.daemon->request_stop();
    EXPECT_THAT(notify.wait_for("STOPPING=1"), HasSubstr("STOPPING=1"));
    EXPECT_EQ(running.stop(), 0);
  }
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
}

TEST(Daemon, StatusEndpointAnswersHealthzMetricsAndStatusOverLoopback) {
  ConfigDir dir("http");
  FakeEngine engine;
  RunningDaemon running(dir, engine);
  ASSERT_TRUE(running.events.wait_for("ready"));
  ASSERT_TRUE(running.events.wait_for("cycle:reps"));
  ASSERT_NE(running.daemon->status_port(), 0);

  EXPECT_EQ(fetch_status(running.status_address(), "/healthz", 5s), "ok\n");
  const auto metrics = fetch_status(running.status_address(), "/metrics", 5s);
  ASSERT_TRUE(metrics);
  EXPECT_THAT(*metrics, HasSubstr("crmsync_rows_read_total{source=\"reps\"} 5\n"));
  EXPECT_THAT(*metrics, HasSubstr("crmsync_api_allowance_remaining 90\n"));
  const auto status = fetch_status(running.status_address(), "/status", 5s);
  ASSERT_TRUE(status);
  EXPECT_THAT(*status, HasSubstr("\"name\":\"reps\""));
  EXPECT_THAT(*status, HasSubstr(dir.file().string()));
  EXPECT_FALSE(fetch_status(running.status_address(), "/nope", 5s));  // 404
  EXPECT_EQ(running.stop(), 0);
  EXPECT_FALSE(fetch_status(running.status_address(), "/healthz", 1s));  // closed after stop
}

TEST(Daemon, SighupWithABrokenConfigurationKeepsThePreviousOne) {
  ConfigDir dir("sighup");
  FakeEngine engine;
  RunningDaemon running(dir, engine, /*handle_signals=*/true);
  ASSERT_TRUE(running.events.wait_for("ready"));
  ASSERT_TRUE(running.events.wait_for("cycle:reps"));

  dir.write_broken();
  ASSERT_EQ(kill(getpid(), SIGHUP), 0);
  ASSERT_TRUE(running.events.wait_for("reload_failed"));
  const auto status = fetch_status(running.status_address(), "/status", 5s);
  ASSERT_TRUE(status);
  EXPECT_THAT(*status, HasSubstr("error(s) in the configuration or mappings, first: "));
  EXPECT_THAT(*status, HasSubstr("unknown setting 'stat_dir'"));
  EXPECT_EQ(fetch_status(running.status_address(), "/healthz", 5s), "ok\n");
  // Cycles still run, on the previous configuration.
  running.daemon->request_cycles();
  ASSERT_TRUE(running.events.wait_for("cycle:reps", 2));
  EXPECT_EQ(engine.last_config(), "reps");

  // A good configuration is taken, and its sources are what cycles run.
  dir.write_valid("east");
  ASSERT_EQ(kill(getpid(), SIGHUP), 0);
  ASSERT_TRUE(running.events.wait_for("reloaded"));
  ASSERT_TRUE(running.events.wait_for("cycle:east"));
  EXPECT_EQ(engine.last_config(), "east");

  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  running.thread.join();
  EXPECT_EQ(running.exit_code, 0);
}

TEST(Daemon, StopRaisesTheStopFlagAndWaitsForTheCycleToPark) {
  ConfigDir dir("stop");
  FakeEngine engine;
  engine.hold_until_stop = true;
  RunningDaemon running(dir, engine);
  ASSERT_TRUE(running.events.wait_for("ready"));
  ASSERT_TRUE(engine.cycles.wait_for("started"));  // the cycle is in flight
  running.daemon->request_stop();
  running.thread.join();
  EXPECT_EQ(running.exit_code, 0);
  EXPECT_TRUE(engine.saw_stop);
  EXPECT_EQ(running.events.count("cycle:reps"), 1);
  EXPECT_EQ(running.events.count("stopped"), 1);
}

TEST(Daemon, InvalidConfigurationAtStartExitsWithExConfig) {
  ConfigDir dir("invalid");
  dir.write_broken();
  FakeEngine engine;
  DaemonOptions options;
  options.config_file = dir.file();
  options.handle_signals = false;
  Daemon daemon(options, engine.factory());
  EXPECT_EQ(daemon.run(), 78);
}

}  // namespace
}  // namespace crmsync::service
