// daemon/service/status_report.hpp — what `crmsync status` shows, as one plain struct with two
// renderings (JSON and text). The daemon fills it from what it has seen (/status); when no daemon
// answers, the CLI fills it from the state database. Both paths print the same shapes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/reconcile/sync_cycle.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::service {

struct SourceStatus {
  std::string name;
  bool running = false;
  std::int64_t cycles_completed = 0;
  std::int64_t cycles_failed = 0;
  std::optional<reconcile::CycleSummary> last_summary;  // the last cycle that finished
  std::string last_finished_at;                         // ISO 8601 UTC
  std::string last_success_at;
  std::string last_error;  // of the last failed cycle, cleared by a success
};

struct ApiAllowance {
  std::optional<std::int64_t> used;  // the CRM's own count of today's calls, when it says
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> remaining() const;
};

struct StatusReport {
  bool daemon_running = false;  // false: read from the state database, the daemon did not answer
  std::int64_t pid = 0;
  std::string started_at;
  std::string config_file;
  std::int64_t reloads = 0;
  std::string last_reload_error;  // empty once a reload succeeds
  std::vector<SourceStatus> sources;
  std::vector<state::RunRecord> recent_runs;  // newest first
  std::int64_t outbox_pending = 0;
  std::int64_t outbox_failed = 0;
  std::int64_t review_open = 0;
  std::int64_t api_calls = 0;  // spent since the daemon started
  ApiAllowance api;
};

// {"daemon": {...} | null, "sources": [...], "recent_runs": [...], "outbox": {...},
//  "review": {"open": N}, "api": {...}} — stable keys; new ones may be added.
std::string status_json(const StatusReport& report);
std::string status_text(const StatusReport& report);

}  // namespace crmsync::service
