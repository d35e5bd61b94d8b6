// daemon/service/state_figures.hpp — the status figures the state database holds: recent runs,
// outbox and review queue depths. Read by the daemon after each cycle (on the worker, which owns
// the connection) and by `crmsync status` when no daemon answers.
#pragma once

#include <cstdint>
#include <vector>

#include "daemon/state/state_store.hpp"

namespace crmsync::service {

struct StateFigures {
  std::vector<state::RunRecord> recent_runs;  // newest first
  std::int64_t outbox_pending = 0;            // pending or sent, not yet confirmed
  std::int64_t outbox_failed = 0;
  std::int64_t review_open = 0;
};

StateFigures read_state_figures(state::StateStore& store, int recent_runs = 5);

}  // namespace crmsync::service
