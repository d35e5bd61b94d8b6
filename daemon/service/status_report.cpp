#include "daemon/service/status_report.hpp"

#include <fmt/format.h>

#include "core/text/json_writer.hpp"

namespace crmsync::service {
namespace {

void write_summary(JsonWriter& json, const reconcile::CycleSummary& summary) {
  json.begin_object()
      .key("run_id")
      .value(summary.run_id)
      .key("status")
      .value(summary.status)
      .key("created")
      .value(summary.created)
      .key("updated")
      .value(summary.updated)
      .key("unchanged")
      .value(summary.unchanged)
      .key("rejected")
      .value(summary.rejected)
      .key("review")
      .value(summary.review)
      .key("api_calls")
      .value(summary.api_calls)
      .key("seconds")
      .value(summary.seconds)
      .end_object();
}

void write_optional(JsonWriter& json, const std::optional<std::int64_t>& value) {
  if (value)
    json.value(*value);
  else
    json.null();
}

std::string or_never(const std::string& time) {
  return time.empty() ? "never" : time;
}

}  // namespace

std::optional<std::int64_t> ApiAllowance::remaining() const {
  if (!used || !limit) return std::nullopt;
  return *limit - *used;
}

std::string status_json(const StatusReport& report) {
  JsonWriter json;
  json.begin_object().key("daemon");
  if (report.daemon_running) {
    json.begin_object()
        .key("pid")
        .value(report.pid)
        .key("started_at")
        .value(report.started_at)
        .key("config")
        .value(report.config_file)
        .key("reloads")
        .value(report.reloads)
        .key("last_reload_error")
        .value(report.last_reload_error)
        .end_object();
  } else {
    json.null();
  }
  json.key("sources").begin_array();
  for (const auto& source : report.sources) {
    json.begin_object()
        .key("name")
        .value(source.name)
        .key("state")
        .value(source.running ? "running" : "idle")
        .key("cycles_completed")
        .value(source.cycles_completed)
        .key("cycles_failed")
        .value(source.cycles_failed)
        .key("last_finished_at")
        .value(source.last_finished_at)
        .key("last_success_at")
        .value(source.last_success_at)
        .key("last_error")
        .value(source.last_error)
        .key("last_cycle");
    if (source.last_summary)
      write_summary(json, *source.last_summary);
    else
      json.null();
    json.end_object();
  }
  json.end_array().key("recent_runs").begin_array();
  for (const auto& run : report.recent_runs) {
    json.begin_object()
        .key("id")
        .value(run.id)
        .key("kind")
        .value(run.kind)
        .key("started_at")
        .value(run.started_at)
        .key("finished_at")
        .value(run.finished_at)
        .key("status")
        .value(run.status)
        .end_object();
  }
  json.end_array()
      .key("outbox")
      .begin_object()
      .key("pending")
      .value(report.outbox_pending)
      .key("failed")
      .value(report.outbox_failed)
      .end_object()
      .key("review")
      .begin_object()
      .key("open")
      .value(report.review_open)
      .end_object()
      .key("api")
      .begin_object()
      .key("calls")
      .value(report.api_calls)
      .key("used");
  write_optional(json, report.api.used);
  json.key("limit");
  write_optional(json, report.api.limit);
  json.key("remaining");
  write_optional(json, report.api.remaining());
  json.end_object().end_object();
  return json.take() + "\n";
}

std::string status_text(const StatusReport& report) {
  std::string out;
  if (report.daemon_running) {
    out += fmt::format("daemon: running (pid {}) since {}, config {}\n", report.pid,
                       report.started_at, report.config_file);
    if (!report.last_reload_error.empty())
      out += fmt::format("  last reload failed, running on the previous configuration: {}\n",
                         report.last_reload_error);
  } else {
    out += "daemon: not answering; figures below are from the state database\n";
  }
  for (const auto& source : report.sources) {
    out += fmt::format("source {}: {}, {} cycle(s) completed, {} failed, last success {}\n",
                       source.name, source.running ? "running" : "idle", source.cycles_completed,
                       source.cycles_failed, or_never(source.last_success_at));
    if (const auto& s = source.last_summary)
      out += fmt::format(
          "  last cycle: {} — {} created, {} updated, {} unchanged, {} rejected, "
          "{} for review, {} API calls, {:.1f}s\n",
          s->status, s->created, s->updated, s->unchanged, s->rejected, s->review, s->api_calls,
          s->seconds);
    if (!source.last_error.empty()) out += fmt::format("  last error: {}\n", source.last_error);
  }
  out +=
      fmt::format("outbox: {} pending, {} failed\n", report.outbox_pending, report.outbox_failed);
  out += fmt::format("review queue: {} open\n", report.review_open);
  if (report.daemon_running) {
    out += fmt::format("CRM API: {} calls since start", report.api_calls);
    if (const auto remaining = report.api.remaining())
      out += fmt::format(", {} of {} left today", *remaining, *report.api.limit);
    out += "\n";
  }
  if (report.recent_runs.empty()) {
    out += "recent runs: none\n";
  } else {
    out += "recent runs:\n";
    for (const auto& run : report.recent_runs)
      out += fmt::format("  #{} {} {} started {} finished {}\n", run.id, run.kind, run.status,
                         run.started_at, run.finished_at.empty() ? "-" : run.finished_at);
  }
  return out;
}

}  // namespace crmsync::service
