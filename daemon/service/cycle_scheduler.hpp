// daemon/service/cycle_scheduler.hpp — decides when each source's sync cycle runs: soon after a
// change (debounced, so a burst of inotify events is one cycle), on the source's interval (rescan
// and CRM index refresh), and never two cycles of one source at once — a change seen while its
// cycle runs queues exactly one follow-up. Cycles run on worker threads so the event loop stays
// responsive; all bookkeeping happens on the loop's thread, so it needs no locks.
// Asio stays out of this header (BUILD-NOTES: it is heavy); the io_context is only declared.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace crmsync::service {

struct ScheduledSource {
  std::string name;
  std::chrono::milliseconds interval{std::chrono::minutes(5)};
};

struct SchedulerOptions {
  // Quiet time after the last change before the cycle starts.
  std::chrono::milliseconds debounce{std::chrono::milliseconds(500)};
  // A source that never goes quiet still gets a cycle this long after its first pending change.
  std::chrono::milliseconds max_delay{std::chrono::seconds(10)};
  // Worker threads. One by default: cycles share one state database connection.
  unsigned workers = 1;
};

class CycleScheduler {
 public:
  // Runs one cycle of `source` on a worker thread. Exceptions are logged and count as a finished
  // cycle; the job is expected to report its own failures.
  using Job = std::function<void(const std::string& source)>;

  CycleScheduler(boost::asio::io_context& io, SchedulerOptions options, Job job);
  ~CycleScheduler();
  CycleScheduler(const CycleScheduler&) = delete;
  CycleScheduler& operator=(const CycleScheduler&) = delete;

  // The sources to schedule (at start and after a reload): new ones get a cycle right away and
  // their interval timer; removed ones stop being scheduled (a running cycle finishes). Loop
  // thread only.
  void set_sources(const std::vector<ScheduledSource>& sources);
  // Something changed in `source`: a cycle after the debounce. Any thread.
  void notify_change(const std::string& source);
  // A cycle of every source as soon as each is free (reload, rescan request). Any thread.
  void run_all_now();
  // Takes no more work: timers are cancelled and queued follow-ups dropped. `on_drained` runs on
  // the loop once no cycle is running (at once when none is). Loop thread only.
  void drain(std::function<void()> on_drained);
  // Waits for the worker threads (after drain's callback, or to give up on them at exit).
  void join_workers();

  // Loop thread only.
  bool running(const std::string& source) const;
  std::size_t running_count() const;
  std::uint64_t cycles_started() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace crmsync::service
