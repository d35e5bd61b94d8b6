// connectors/folder/inbox/inotify_watcher.hpp — watches the inbox and reports files that are
// ready to read. inotify (through Boost.Asio, no polling) says *when* to look; a full scan says
// *what* is there, so lost events, queue overflows and folders created before their watch are all
// repaired by the next scan. Scans run debounced after events, at each pending file's stability
// deadline, and periodically (rescan_interval) for what inotify cannot see (network mounts).
// Asio stays out of this header (BUILD-NOTES: it is heavy); the io_context is only declared.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "connectors/folder/inbox/inbox_layout.hpp"

namespace boost::asio {
class io_context;
}

namespace crmsync::folder {

struct WatcherCallbacks {
  // A file has been stable for the window: hash, classify and read it now. Called once per
  // stable state (again after it changes and settles).
  std::function<void(const InboxFile&)> on_ready;
  // An entry was refused; called once until the entry disappears or its reason changes.
  std::function<void(const RefusedEntry&)> on_refused;
  // Every completed scan (for removals, metrics and `crmsync status`); optional.
  std::function<void(const ScanResult&)> on_scan;
};

class InboxWatcher {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Does no work: start() does. The clock measures stability windows (tests may inject one;
  // timers still run on the io_context's steady clock).
  InboxWatcher(boost::asio::io_context& io, InboxOptions options, WatcherCallbacks callbacks,
               Clock clock = &std::chrono::steady_clock::now);
  ~InboxWatcher();
  InboxWatcher(const InboxWatcher&) = delete;
  InboxWatcher& operator=(const InboxWatcher&) = delete;

  // Opens inotify, scans once and arms the timers; callbacks then run on the io_context's
  // threads. Throws Error(config) when the root is missing, Error(transient) when inotify cannot
  // be set up (out of instances).
  void start();
  // Cancels timers and the inotify read; no callback runs afterwards. Call it (and destroy the
  // watcher) on the io_context's thread or while the io_context is not running; pending handlers
  // keep the internals alive until the io_context drains or is destroyed.
  void stop();
  // Asks for a full scan as soon as possible (the daemon's `systemctl reload`); any thread.
  void rescan_now();

  std::uint64_t scans_completed() const noexcept;
  std::uint64_t overflows() const noexcept;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace crmsync::folder
