#include "daemon/service/service_metrics.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace crmsync::service {
namespace {

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

SourceStatus& source_status(StatusReport& report, const std::string& name) {
  auto it = std::find_if(report.sources.begin(), report.sources.end(),
                         [&](const SourceStatus& s) { return s.name == name; });
  if (it != report.sources.end()) return *it;
  auto& added = report.sources.emplace_back();
  added.name = name;
  return added;
}

}  // namespace

ServiceMetrics::ServiceMetrics() {
  report_.daemon_running = true;
  report_.pid = getpid();
  report_.started_at = state::utc_now_iso8601();
  last_line_ = "started, first cycle pending";
}

void ServiceMetrics::set_daemon_identity(std::string config_file) {
  std::lock_guard lock(mutex_);
  report_.config_file = std::move(config_file);
}

void ServiceMetrics::set_sources(const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  std::vector<SourceStatus> kept;
  for (const auto& name : names)
    kept.push_back(source_status(report_, name));
  report_.sources = std::move(kept);
  for (const auto& name : names)
    metrics_.sources[name];  // exported as 0 before the first cycle
}

void ServiceMetrics::cycle_started(const std::string& source) {
  std::lock_guard lock(mutex_);
  source_status(report_, source).running = true;
}

void ServiceMetrics::cycle_finished(const std::string& source,
                                    const reconcile::CycleSummary& summary,
                                    const ApiAllowance& api) {
  std::lock_guard lock(mutex_);
  const double now = unix_now();
  for (const auto& [name, counts] : summary.sources) {
    auto& rows = metrics_.sources[name].rows;
    rows.files_read += counts.files_read;
    rows.files_unchanged += counts.files_unchanged;
    rows.files_failed += counts.files_failed;
    rows.rows_read += counts.rows_read;
    rows.rows_mapped += counts.rows_mapped;
    rows.rows_rejected += counts.rows_rejected;
  }
  for (const auto& [kind, count] : summary.operations)
    metrics_.operations[kind] += count;
  auto& totals = metrics_.sources[source];
  const bool completed = summary.status != "failed";
  if (completed) {
    ++totals.cycles_completed;
    totals.last_success_unix = now;
    metrics_.last_success_unix = now;
  } else {
    ++totals.cycles_failed;
  }
  metrics_.api_calls += summary.api_calls;
  if (api.used) metrics_.api.used = api.used;
  if (api.limit) metrics_.api.limit = api.limit;
  metrics_.outbox_pending = summary.outbox_pending;
  metrics_.review_open = summary.review_open;
  observe_duration(summary.seconds);

  auto& status = source_status(report_, source);
  status.running = false;
  status.last_summary = summary;
  status.last_finished_at = state::utc_now_iso8601();
  if (completed) {
    status.last_success_at = status.last_finished_at;
    status.last_error.clear();
    ++status.cycles_completed;
  } else {
    ++status.cycles_failed;
  }
  report_.outbox_pending = summary.outbox_pending;
  report_.review_open = summary.review_open;
  report_.api_calls = metrics_.api_calls;
  report_.api = metrics_.api;
  last_line_ = fmt::format(
      "{}: {} ({} created, {} updated, {} rejected, {} for review); outbox {}, review {}", source,
      summary.status, summary.created, summary.updated, summary.rejected, summary.review,
      summary.outbox_pending, summary.review_open);
}

void ServiceMetrics::cycle_failed(const std::string& source, const std::string& error,
                                  double seconds) {
  std::lock_guard lock(mutex_);
  ++metrics_.sources[source].cycles_failed;
  observe_duration(seconds);
  auto& status = source_status(report_, source);
  status.running = false;
  status.last_finished_at = state::utc_now_iso8601();
  status.last_error = error;
  ++status.cycles_failed;
  last_line_ = fmt::format("{}: cycle failed: {}", source, error);
}

void ServiceMetrics::state_read(const StateFigures& figures) {
  std::lock_guard lock(mutex_);
  report_.recent_runs = figures.recent_runs;
  report_.outbox_pending = metrics_.outbox_pending = figures.outbox_pending;
  report_.outbox_failed = figures.outbox_failed;
  report_.review_open = metrics_.review_open = figures.review_open;
}

void ServiceMetrics::reload_finished(bool ok, const std::string& error) {
  std::lock_guard lock(mutex_);
  ++(ok ? metrics_.reloads_ok : metrics_.reloads_failed);
  ++report_.reloads;
  report_.last_reload_error = ok ? std::string() : error;
}

MetricsSnapshot ServiceMetrics::snapshot() const {
  std::lock_guard lock(mutex_);
  return metrics_;
}

StatusReport ServiceMetrics::status() const {
  std::lock_guard lock(mutex_);
  return report_;
}

std::string ServiceMetrics::status_line() const {
  std::lock_guard lock(mutex_);
  return last_line_;
}

void ServiceMetrics::observe_duration(double seconds) {
  const auto bucket = std::lower_bound(kCycleSecondsBuckets.begin(), kCycleSecondsBuckets.end(),
                                       seconds);  // le: the first bound >= seconds
  if (bucket != kCycleSecondsBuckets.end())
    ++metrics_.cycle_buckets[static_cast<std::size_t>(bucket - kCycleSecondsBuckets.begin())];
  ++metrics_.cycle_count;
  metrics_.cycle_seconds_sum += seconds;
}

}  // namespace crmsync::service
