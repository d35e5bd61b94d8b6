// daemon/service/service_metrics.hpp — what the daemon has seen since it started: per-source row
// counts, operations by kind and result, API calls and allowance, cycle durations, queue depths.
// Workers record into it, the status server reads snapshots of it; a mutex keeps those apart.
// /metrics renders a snapshot as Prometheus text (prometheus_text.hpp); /status as a StatusReport.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/reconcile/sync_cycle.hpp"
#include "daemon/service/state_figures.hpp"
#include "daemon/service/status_report.hpp"

namespace crmsync::service {

// Cycle durations: from a quiet inbox (well under a second) to a first import of a large org.
inline constexpr std::array<double, 11> kCycleSecondsBuckets{0.1, 0.5, 1,   2.5, 5,   10,
                                                             30,  60,  300, 900, 3600};

struct SourceTotals {
  reconcile::SourceCounts rows;  // summed over every cycle since start
  std::int64_t cycles_completed = 0;
  std::int64_t cycles_failed = 0;
  double last_success_unix = 0;  // 0: never
};

struct MetricsSnapshot {
  std::map<std::string, SourceTotals> sources;
  std::map<std::string, std::int64_t> operations;  // "create.ok" -> count
  std::int64_t api_calls = 0;
  ApiAllowance api;
  std::array<std::int64_t, kCycleSecondsBuckets.size()> cycle_buckets{};  // non-cumulative
  std::int64_t cycle_count = 0;
  double cycle_seconds_sum = 0;
  std::int64_t outbox_pending = 0;
  std::int64_t review_open = 0;
  double last_success_unix = 0;
  std::int64_t reloads_ok = 0;
  std::int64_t reloads_failed = 0;
};

class ServiceMetrics {
 public:
  ServiceMetrics();

  void set_daemon_identity(std::string config_file);
  void set_sources(const std::vector<std::string>& names);
  void cycle_started(const std::string& source);
  void cycle_finished(const std::string& source, const reconcile::CycleSummary& summary,
                      const ApiAllowance& api);
  void cycle_failed(const std::string& source, const std::string& error, double seconds);
  void state_read(const StateFigures& figures);
  void reload_finished(bool ok, const std::string& error);

  MetricsSnapshot snapshot() const;
  StatusReport status() const;
  // One line for systemd's STATUS=: the last cycle and the queues.
  std::string status_line() const;

 private:
  void observe_duration(double seconds);

  mutable std::mutex mutex_;
  MetricsSnapshot metrics_;
  StatusReport report_;
  std::string last_line_;
};

}  // namespace crmsync::service
