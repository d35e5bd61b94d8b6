#include "daemon/service/daemon.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <mutex>

#include "core/error.hpp"
#include "daemon/service/cycle_scheduler.hpp"
#include "daemon/service/inbox_watchers.hpp"
#include "daemon/service/service_config.hpp"
#include "daemon/service/service_metrics.hpp"
#include "daemon/service/state_figures.hpp"
#include "daemon/service/status_http_server.hpp"
#include "daemon/service/status_routes.hpp"
#include "daemon/service/systemd_notifier.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::service {

namespace asio = boost::asio;

class Daemon::Impl {
 public:
  Impl(DaemonOptions options, CycleRunnerFactory make_runner)
      : options_(std::move(options)),
        make_runner_(std::move(make_runner)),
        signals_(io_),
        watchdog_timer_(io_),
        stop_timer_(io_) {}

  int run() {
    Diagnostics diags;
    auto config = load_service_config(options_.config_file, diags);
    if (!config) {
      spdlog::error("{}: the configuration is invalid; not starting\n{}",
                    options_.config_file.string(), diags.render());
      return kExitConfig;
    }
    try {
      start(std::move(config));
    } catch (const Error& e) {
      spdlog::error("not starting: {}", e.what());
      return exit_code_for(e.category());
    }
    io_.run();
    return finish();
  }

  void request_stop() {
    asio::post(io_, [this] { begin_stop(); });
  }
  void request_reload() {
    asio::post(io_, [this] { reload(); });
  }
  void request_cycles() {
    if (scheduler_) scheduler_->run_all_now();
  }
  std::uint16_t status_port() const { return server_ ? server_->port() : 0; }
  const ServiceMetrics& metrics() const { return metrics_; }

 private:
  void start(std::shared_ptr<const Config> config) {
    if (options_.on_config) options_.on_config(*config);
    store_ = state::StateStore::open(config->state_dir);
    metrics_.state_read(read_state_figures(*store_));
    install(config, make_runner_(*config));
    metrics_.set_daemon_identity(config->file.string());

    server_ = std::make_unique<StatusHttpServer>(
        io_, config->status.listen,
        make_status_router(metrics_, [this] { return stopping_.load(); }));
    server_->start();
    spdlog::info("status endpoint on http://{}:{}/ (/healthz, /metrics, /status)",
                 config->status.listen.host, server_->port());

    SchedulerOptions scheduling;
    scheduling.debounce = options_.debounce;
    scheduler_ = std::make_unique<CycleScheduler>(
        io_, scheduling, [this](const std::string& source) { run_cycle(source); });
    watchers_ = std::make_unique<InboxWatchers>(
        io_, [this](const std::string& source) { scheduler_->notify_change(source); });
    apply_sources(*config);

    if (options_.handle_signals) {
      signals_.add(SIGHUP);
      signals_.add(SIGTERM);
      signals_.add(SIGINT);
      wait_for_signal();
    }
    if (const auto period = SystemdNotifier::watchdog_period()) {
      watchdog_period_ = *period;
      ping_watchdog();
    }
    notifier_.ready(fmt::format("watching {} source(s)", config->sources.size()));
    spdlog::info("crmsync running with {} ({} source(s))", config->file.string(),
                 config->sources.size());
    observe("ready");
  }

  // Swaps what cycles use; a cycle already running keeps the pair it started with.
  void install(std::shared_ptr<const Config> config, CycleRunner runner) {
    std::lock_guard lock(current_mutex_);
    config_ = std::move(config);
    runner_ = std::make_shared<const CycleRunner>(std::move(runner));
  }

  void apply_sources(const Config& config) {
    std::vector<std::string> names;
    for (const auto& source : config.sources)
      names.push_back(source->name);
    metrics_.set_sources(names);
    scheduler_->set_sources(scheduled_sources(config, options_.default_interval));
    watchers_->watch(config);
  }

  // On a worker thread; the scheduler guarantees one cycle per source at a time, and with one
  // worker the state connection is never used by two threads at once.
  void run_cycle(const std::string& source) {
    std::shared_ptr<const Config> config;
    std::shared_ptr<const CycleRunner> runner;
    {
      std::lock_guard lock(current_mutex_);
      config = config_;
      runner = runner_;
    }
    reconcile::CycleOptions cycle;
    cycle.only_source = source;
    cycle.stop = &stop_requested_;
    metrics_.cycle_started(source);
    const auto started = std::chrono::steady_clock::now();
    const auto seconds = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    try {
      const auto outcome = (*runner)(*config, *store_, cycle);
      metrics_.cycle_finished(source, outcome.summary, outcome.api);
      const auto& s = outcome.summary;
      spdlog::info(
          "source '{}': cycle {} in {:.1f}s: {} created, {} updated, {} unchanged, {} "
          "rejected, {} for review; outbox {}",
          source, s.status, s.seconds, s.created, s.updated, s.unchanged, s.rejected, s.review,
          s.outbox_pending);
    } catch (const Error& e) {
      metrics_.cycle_failed(source, e.what(), seconds());
      spdlog::error("source '{}': cycle failed ({}): {}", source, to_string(e.category()),
                    e.what());
    } catch (const std::exception& e) {
      metrics_.cycle_failed(source, e.what(), seconds());
      spdlog::error("source '{}': cycle failed unexpectedly: {}", source, e.what());
    }
    try {
      metrics_.state_read(read_state_figures(*store_));
    } catch (const std::exception& e) {
      spdlog::warn("cannot read status figures from the state database: {}", e.what());
    }
    asio::post(io_, [this] {
      if (!stopping_) notifier_.status(metrics_.status_line());
    });
    observe("cycle:" + source);
  }

  void wait_for_signal() {
    signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      if (signal == SIGHUP) {
        reload();
      } else {
        spdlog::info("{} received: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
        begin_stop();
      }
      if (!finished_) wait_for_signal();
    });
  }

  void ping_watchdog() {
    notifier_.watchdog();
    watchdog_timer_.expires_after(watchdog_period_);
    watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) ping_watchdog();
    });
  }

  void reload() {
    if (stopping_) return;
    notifier_.reloading();
    spdlog::info("reloading {}", options_.config_file.string());
    Diagnostics diags;
    auto config = load_service_config(options_.config_file, diags);
    std::string failure;
    CycleRunner runner;
    if (!config) {
      // The first diagnostic names the file and line; the journal gets all of them.
      const auto rendered = diags.render();
      failure = fmt::format("{} error(s) in the configuration or mappings, first: {}",
                            diags.error_count(), rendered.substr(0, rendered.find('\n')));
    } else {
      try {
        runner = make_runner_(*config);
      } catch (const std::exception& e) {
        failure = e.what();
      }
    }
    if (!failure.empty()) {
      spdlog::error("reload refused, still running on the previous configuration: {}\n{}", failure,
                    diags.render());
      metrics_.reload_finished(false, failure);
      notifier_.ready("reload failed, running on the previous configuration: " + failure);
      observe("reload_failed");
      return;
    }
    const auto previous = current_config();
    if (config->state_dir != previous->state_dir)
      spdlog::warn("state_dir changed to {}: takes effect at the next restart",
                   config->state_dir.string());
    if (config->status.listen.text() != previous->status.listen.text())
      spdlog::warn("status.listen changed to {}: takes effect at the next restart",
                   config->status.listen.text());
    if (options_.on_config) options_.on_config(*config);
    install(config, std::move(runner));
    apply_sources(*config);
    scheduler_->run_all_now();  // mappings may have changed: look at everything again
    metrics_.reload_finished(true, {});
    notifier_.ready(fmt::format("reloaded; watching {} source(s)", config->sources.size()));
    spdlog::info("reloaded {}", config->file.string());
    observe("reloaded");
  }

  std::shared_ptr<const Config> current_config() {
    std::lock_guard lock(current_mutex_);
    return config_;
  }

  void begin_stop() {
    if (stopping_) return;
    stopping_ = true;
    stop_requested_ = true;  // the engine parks the batch in flight
    notifier_.stopping();
    observe("stopping");
    if (watchers_) watchers_->stop();
    stop_timer_.expires_after(options_.stop_timeout);
    stop_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      timed_out_ = true;
      end_loop();
    });
    scheduler_->drain([this] { end_loop(); });
  }

  void end_loop() {
    if (finished_) return;
    finished_ = true;
    stop_timer_.cancel();
    watchdog_timer_.cancel();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    if (server_) server_->stop();
    io_.stop();
  }

  int finish() {
    if (timed_out_) {
      // The worker is still inside a cycle. Waiting longer would meet systemd's SIGKILL; the
      // outbox makes an interrupted batch safe to resume, so exit without joining the worker or
      // closing the connection it uses (both deliberately leaked).
      spdlog::error(
          "the cycle in flight did not park within {}s; exiting without it",
          std::chrono::duration_cast<std::chrono::seconds>(options_.stop_timeout).count());
      static_cast<void>(scheduler_.release());
      static_cast<void>(store_.release());
      observe("stopped");
      return kExitTempFail;
    }
    scheduler_->join_workers();
    scheduler_.reset();
    store_.reset();  // closes SQLite cleanly (WAL checkpoint)
    spdlog::info("stopped");
    observe("stopped");
    return kExitOk;
  }

  void observe(const std::string& event) {
    if (options_.observer) options_.observer(event);
  }

  DaemonOptions options_;
  CycleRunnerFactory make_runner_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer watchdog_timer_;
  asio::steady_timer stop_timer_;
  std::chrono::microseconds watchdog_period_{};
  SystemdNotifier notifier_;
  ServiceMetrics metrics_;
  std::unique_ptr<state::StateStore> store_;
  std::unique_ptr<StatusHttpServer> server_;
  std::unique_ptr<CycleScheduler> scheduler_;
  std::unique_ptr<InboxWatchers> watchers_;

  std::mutex current_mutex_;
  std::shared_ptr<const Config> config_;
  std::shared_ptr<const CycleRunner> runner_;

  std::atomic<bool> stop_requested_{false};  // read by the engine on the worker
  std::atomic<bool> stopping_{false};        // read by the status endpoint
  bool finished_ = false;
  bool timed_out_ = false;
};

Daemon::Daemon(DaemonOptions options, CycleRunnerFactory make_runner)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(make_runner))) {}
Daemon::~Daemon() = default;
int Daemon::run() {
  return impl_->run();
}
void Daemon::request_stop() {
  impl_->request_stop();
}
void Daemon::request_reload() {
  impl_->request_reload();
}
void Daemon::request_cycles() {
  impl_->request_cycles();
}
std::uint16_t Daemon::status_port() const {
  return impl_->status_port();
}
const ServiceMetrics& Daemon::metrics() const {
  return impl_->metrics();
}

}  // namespace crmsync::service
