#include "daemon/service/state_figures.hpp"

namespace crmsync::service {
namespace {

std::int64_t count(state::StateStore& store, const char* sql) {
  auto statement = store.connection().prepare(sql);
  return statement.step() ? statement.integer(0) : 0;
}

}  // namespace

StateFigures read_state_figures(state::StateStore& store, int recent_runs) {
  StateFigures figures;
  figures.recent_runs = store.recent_runs(recent_runs);
  figures.outbox_pending = store.pending_outbox_operations();
  // `state != 'done'` lets SQLite use the partial index outbox_unsettled.
  figures.outbox_failed =
      count(store, "SELECT count(*) FROM outbox WHERE state != 'done' AND state = 'failed'");
  figures.review_open = count(store, "SELECT count(*) FROM review_queue WHERE state = 'open'");
  return figures;
}

}  // namespace crmsync::service
