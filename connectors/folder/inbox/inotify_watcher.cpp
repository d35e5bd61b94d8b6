#include "connectors/folder/inbox/inotify_watcher.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "connectors/folder/inbox/file_name.hpp"
#include "connectors/folder/inbox/inotify_events.hpp"
#include "connectors/folder/inbox/stability_tracker.hpp"

// Boost 1.74's scheduler trips GCC 12's -Wnull-dereference at -O2 (a false positive on a
// thread-local it checked just before); the pragma covers only Asio's own lines.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#pragma GCC diagnostic pop

namespace crmsync::folder {

namespace asio = boost::asio;
using SteadyTime = std::chrono::steady_clock::time_point;

class InboxWatcher::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, InboxOptions options, WatcherCallbacks callbacks, Clock clock)
      : options_(std::move(options)),
        callbacks_(std::move(callbacks)),
        clock_(std::move(clock)),
        inotify_(io),
        scan_timer_(io),
        rescan_timer_(io),
        tracker_(options_.stability_window) {}

  void start() {
    (void)open_inbox_root(options_.root);  // fail now, with Error(config), not in a handler
    if (options_.use_inotify) {
      const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
      if (fd < 0) {
        throw Error(ErrorCategory::transient,
                    std::string("cannot watch the inbox (inotify): ") + std::strerror(errno));
      }
      inotify_.assign(fd);
      read_events();
    }
    arm_rescan_timer();
    schedule_scan(std::chrono::steady_clock::duration::zero());
  }

  void stop() {
    stopped_ = true;
    scan_timer_.cancel();
    rescan_timer_.cancel();
    boost::system::error_code ignored;
    inotify_.close(ignored);  // also drops every watch
  }

  void rescan_now() {
    asio::post(scan_timer_.get_executor(), [self = shared_from_this()] {
      if (!self->stopped_) self->schedule_scan(std::chrono::steady_clock::duration::zero());
    });
  }

  std::atomic<std::uint64_t> scans{0};
  std::atomic<std::uint64_t> overflows{0};

 private:
  void read_events() {
    inotify_.async_read_some(
        asio::buffer(buffer_),
        [self = shared_from_this()](const boost::system::error_code& error, std::size_t size) {
          if (self->stopped_ || error == asio::error::operation_aborted) return;
          if (error) {
            // The periodic rescan still runs, so the inbox is still served, only later.
            spdlog::error(
                "inbox watcher: reading inotify events failed ({}); relying on the "
                "periodic rescan",
                error.message());
            return;
          }
          self->on_events(std::span<const std::byte>(self->buffer_.data(), size));
          self->read_events();
        });
  }

  void on_events(std::span<const std::byte> events) {
    const InotifyDigest digest = decode_inotify_events(events);
    for (const int wd : digest.dropped_watches) {
      if (const auto it = watch_paths_.find(wd); it != watch_paths_.end()) {
        watched_.erase(it->second);
        watch_paths_.erase(it);
      }
    }
    if (digest.overflow) {
      ++overflows;
      spdlog::warn("inbox watcher: inotify queue overflowed; rescanning the whole inbox");
      schedule_scan(std::chrono::steady_clock::duration::zero());
    } else if (digest.changed) {
      schedule_scan(options_.debounce);
    }
  }

  // Keeps the earliest requested scan: a burst of events costs one scan per debounce period.
  void schedule_scan(std::chrono::steady_clock::duration delay) {
    if (delay < std::chrono::steady_clock::duration::zero()) delay = {};
    const SteadyTime when = std::chrono::steady_clock::now() + delay;
    if (scan_due_ && *scan_due_ <= when) return;
    scan_due_ = when;
    scan_timer_.expires_at(when);
    scan_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (self->stopped_ || error == asio::error::operation_aborted) return;
      self->scan_due_.reset();
      self->run_scan();
    });
  }

  void arm_rescan_timer() {
    rescan_timer_.expires_after(options_.rescan_interval);
    rescan_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (self->stopped_ || error == asio::error::operation_aborted) return;
      self->schedule_scan(std::chrono::steady_clock::duration::zero());
      self->arm_rescan_timer();
    });
  }

  void run_scan() {
    ScanResult result;
    try {
      result = scan_inbox(options_);
    } catch (const std::exception& error) {
      spdlog::error("inbox watcher: cannot scan the inbox: {}", error.what());
      return;  // the periodic rescan tries again
    }
    ++scans;
    const bool new_watches = inotify_.is_open() && sync_watches(result.directories);
    report_refused(result.refused);
    const std::vector<InboxFile> ready = tracker_.update(result.files, clock_());
    invoke("scan", callbacks_.on_scan, result);
    for (const InboxFile& file : ready) {
      spdlog::debug("inbox watcher: ready {}", escape_for_log(file.key()));
      invoke("ready", callbacks_.on_ready, file);
    }
    if (const auto deadline = tracker_.next_deadline()) schedule_scan(*deadline - clock_());
    // Files created in a new folder before its watch existed raised no event: look once more.
    if (new_watches) schedule_scan(options_.debounce);
  }

  // Adds a watch for every folder the scan found and drops those of vanished folders. Returns
  // whether a folder got a new watch. Path-based inotify_add_watch cannot follow a symlink here:
  // IN_DONT_FOLLOW | IN_ONLYDIR make it fail on anything but a real directory.
  bool sync_watches(const std::vector<std::string>& directories) {
    bool added = false;
    std::set<std::string> present(directories.begin(), directories.end());
    for (const std::string& dir : directories) {
      if (watched_.contains(dir)) continue;
      const auto path = dir.empty() ? options_.root : options_.root / dir;
      const int wd =
          ::inotify_add_watch(inotify_.native_handle(), path.c_str(), inbox_watch_mask());
      if (wd < 0) {
        if (errno == ENOSPC && !watch_limit_logged_) {
          watch_limit_logged_ = true;
          spdlog::warn(
              "inbox watcher: out of inotify watches (fs.inotify.max_user_watches); "
              "folders without a watch are found by the periodic rescan");
        }
        continue;
      }
      // A renamed folder keeps its watch descriptor: the kernel returns the same wd.
      if (const auto old = watch_paths_.find(wd); old != watch_paths_.end()) {
        watched_.erase(old->second);
      }
      watch_paths_[wd] = dir;
      watched_[dir] = wd;
      added = true;
    }
    for (auto it = watched_.begin(); it != watched_.end();) {
      if (present.contains(it->first)) {
        ++it;
        continue;
      }
      ::inotify_rm_watch(inotify_.native_handle(), it->second);
      watch_paths_.erase(it->second);
      it = watched_.erase(it);
    }
    return added;
  }

  void report_refused(const std::vector<RefusedEntry>& refused) {
    std::map<std::string, Refusal> now;
    for (const RefusedEntry& entry : refused) {
      const std::string key = entry.key();
      now.emplace(key, entry.refusal);
      const auto before = reported_refusals_.find(key);
      if (before != reported_refusals_.end() && before->second == entry.refusal) continue;
      spdlog::warn("inbox: refused {}: {}", escape_for_log(key), entry.detail);
      invoke("refused", callbacks_.on_refused, entry);
    }
    reported_refusals_ = std::move(now);
  }

  // A throwing callback must not kill the watcher: the other reps' files still need serving.
  template <typename Callback, typename Arg>
  static void invoke(const char* what, const Callback& callback, const Arg& arg) {
    if (!callback) return;
    try {
      callback(arg);
    } catch (const std::exception& error) {
      spdlog::error("inbox watcher: the {} handler failed: {}", what, error.what());
    }
  }

  InboxOptions options_;
  WatcherCallbacks callbacks_;
  Clock clock_;
  asio::posix::stream_descriptor inotify_;
  asio::steady_timer scan_timer_;
  asio::steady_timer rescan_timer_;
  std::optional<SteadyTime> scan_due_;
  StabilityTracker tracker_;
  std::map<int, std::string> watch_paths_;  // wd -> folder relative to the root ("" = root)
  std::map<std::string, int> watched_;      // folder -> wd
  std::map<std::string, Refusal> reported_refusals_;
  bool watch_limit_logged_ = false;
  bool stopped_ = false;
  // Aligned for inotify_event: the kernel writes whole events from the start of the buffer.
  alignas(inotify_event) std::array<std::byte, 64 * 1024> buffer_{};
};

InboxWatcher::InboxWatcher(asio::io_context& io, InboxOptions options, WatcherCallbacks callbacks,
                           Clock clock)
    : impl_(
        std::make_shared<Impl>(io, std::move(options), std::move(callbacks), std::move(clock))) {}

InboxWatcher::~InboxWatcher() {
  impl_->stop();
}

void InboxWatcher::start() {
  impl_->start();
}
void InboxWatcher::stop() {
  impl_->stop();
}
void InboxWatcher::rescan_now() {
  impl_->rescan_now();
}
std::uint64_t InboxWatcher::scans_completed() const noexcept {
  return impl_->scans.load();
}
std::uint64_t InboxWatcher::overflows() const noexcept {
  return impl_->overflows.load();
}

}  // namespace crmsync::folder
