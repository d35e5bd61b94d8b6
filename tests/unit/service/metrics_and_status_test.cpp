// What /metrics, /status and the routes say, apart from any socket.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "daemon/service/prometheus_text.hpp"
#include "daemon/service/service_metrics.hpp"
#include "daemon/service/status_report.hpp"
#include "daemon/service/status_routes.hpp"

namespace crmsync::service {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

reconcile::CycleSummary summary_for(const std::string& source) {
  reconcile::CycleSummary summary;
  summary.run_id = 7;
  summary.status = "completed";
  summary.created = 3;
  summary.updated = 2;
  summary.rejected = 1;
  summary.api_calls = 9;
  summary.operations = {{"Contact.create.ok", 3},
                        {"Contact.update.ok", 2},
                        {"Account.update.failed", 1},
                        {"create.planned", 1}};
  summary.sources[source].rows_read = 10;
  summary.sources[source].rows_mapped = 9;
  summary.sources[source].rows_rejected = 1;
  summary.outbox_pending = 4;
  summary.review_open = 2;
  summary.seconds = 0.7;
  return summary;
}

TEST(PrometheusText, PublishesRowsOperationsApiDurationsAndDepths) {
  ServiceMetrics metrics;
  metrics.set_sources({"reps", "outlook"});
  ApiAllowance api;
  api.used = 1000;
  api.limit = 15000;
  metrics.cycle_finished("reps", summary_for("reps"), api);
  metrics.cycle_finished("reps", summary_for("reps"), api);
  const auto text = prometheus_text(metrics.snapshot());

  EXPECT_THAT(text, HasSubstr("# TYPE crmsync_rows_read_total counter\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_rows_read_total{source=\"reps\"} 20\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_rows_read_total{source=\"outlook\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_rows_mapped_total{source=\"reps\"} 18\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_rows_rejected_total{source=\"reps\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_operations_total{object=\"Account\",kind=\"update\","
                              "result=\"failed\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_operations_total{object=\"Contact\",kind=\"create\","
                              "result=\"ok\"} 6\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_operations_total{object=\"\",kind=\"create\","
                              "result=\"planned\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_api_calls_total 18\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_api_allowance_remaining 14000\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE crmsync_cycle_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_cycle_duration_seconds_bucket{le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_cycle_duration_seconds_bucket{le=\"1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_cycle_duration_seconds_bucket{le=\"+Inf\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_cycle_duration_seconds_count 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_outbox_pending 4\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_review_open 2\n"));
  EXPECT_THAT(text, HasSubstr("crmsync_cycles_total{source=\"reps\",result=\"completed\"} 2\n"));
  EXPECT_THAT(text, Not(HasSubstr("crmsync_last_success_timestamp_seconds 0.000\n")));
}

TEST(PrometheusText, EscapesLabelValuesAndOmitsUnknownAllowance) {
  ServiceMetrics metrics;
  metrics.set_sources({"we\"ird\\name"});
  const auto text = prometheus_text(metrics.snapshot());
  EXPECT_THAT(text, HasSubstr("{source=\"we\\\"ird\\\\name\"}"));
  EXPECT_THAT(text, Not(HasSubstr("crmsync_api_allowance_remaining")));
  EXPECT_THAT(text, HasSubstr("crmsync_last_success_timestamp_seconds 0.000\n"));
}

TEST(StatusReport, JsonAndTextCarryTheLastCycleAndQueues) {
  ServiceMetrics metrics;
  metrics.set_daemon_identity("/etc/crmsync/crmsync.yaml");
  metrics.set_sources({"reps"});
  metrics.cycle_finished("reps", summary_for("reps"), {});
  metrics.cycle_failed("reps", "CRM unreachable", 1.5);
  const auto report = metrics.status();
  const auto json = status_json(report);
  EXPECT_THAT(json, HasSubstr("\"daemon\":{\"pid\":"));
  EXPECT_THAT(json, HasSubstr("\"name\":\"reps\",\"state\":\"idle\",\"cycles_completed\":1,"
                              "\"cycles_failed\":1"));
  EXPECT_THAT(json, HasSubstr("\"last_error\":\"CRM unreachable\""));
  EXPECT_THAT(json, HasSubstr("\"outbox\":{\"pending\":4,\"failed\":0}"));
  EXPECT_THAT(json, HasSubstr("\"review\":{\"open\":2}"));
  const auto text = status_text(report);
  EXPECT_THAT(text, HasSubstr("source reps: idle, 1 cycle(s) completed, 1 failed"));
  EXPECT_THAT(text, HasSubstr("last error: CRM unreachable"));
  EXPECT_THAT(metrics.status_line(), HasSubstr("cycle failed: CRM unreachable"));
}

TEST(StatusReport, WithoutDaemonTheJsonSaysSo) {
  StatusReport report;
  state::RunRecord run;
  run.id = 3;
  run.kind = "sync";
  run.status = "completed";
  report.recent_runs.push_back(run);
  EXPECT_THAT(status_json(report), HasSubstr("{\"daemon\":null,"));
  EXPECT_THAT(status_json(report), HasSubstr("\"recent_runs\":[{\"id\":3,\"kind\":\"sync\""));
  EXPECT_THAT(status_text(report), HasSubstr("daemon: not answering"));
}

TEST(StatusRoutes, AnswersEachPathAndRefusesTheRest) {
  ServiceMetrics metrics;
  bool stopping = false;
  const auto route = make_status_router(metrics, [&] { return stopping; });
  EXPECT_EQ(route("GET", "/healthz").status, 200u);
  EXPECT_EQ(route("GET", "/healthz").body, "ok\n");
  EXPECT_EQ(route("GET", "/metrics").content_type, kPrometheusContentType);
  EXPECT_EQ(route("GET", "/status").content_type, "application/json");
  EXPECT_THAT(route("GET", "/status?format=text").body, HasSubstr("daemon: running"));
  EXPECT_EQ(route("GET", "/nope").status, 404u);
  EXPECT_EQ(route("POST", "/metrics").status, 405u);
  stopping = true;
  EXPECT_EQ(route("GET", "/healthz").status, 503u);
}

}  // namespace
}  // namespace crmsync::service
