// connectors/folder/inbox/stability_tracker.hpp — decides when a file has stopped changing. A
// rep's copy over SMB, a browser download or Excel's save arrive in pieces; reading a file
// half-written would reject good rows. A file is ready once its size, mtime and inode have stayed
// the same for the stability window, measured on a monotonic clock the caller passes in (the
// wall clock can jump; tests pass their own time points).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connectors/folder/inbox/inbox_layout.hpp"

namespace crmsync::folder {

class StabilityTracker {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit StabilityTracker(std::chrono::nanoseconds window) : window_(window) {}

  // Feeds one complete scan taken at `now`. Files not in it are forgotten (deleted or moved), so
  // a file that comes back starts its window again. Returns the files that became ready: each
  // stable state is returned once; a later change re-arms the file.
  std::vector<InboxFile> update(const std::vector<InboxFile>& scan, TimePoint now);

  // When the earliest pending file would become ready if it stays unchanged; nullopt when none
  // is pending. The watcher rescans then, to confirm before it reports the file.
  std::optional<TimePoint> next_deadline() const;

  std::size_t pending() const;

 private:
  struct Entry {
    InboxFile file;
    TimePoint unchanged_since;
    bool reported = false;
  };

  std::chrono::nanoseconds window_;
  std::map<std::string, Entry> entries_;
};

}  // namespace crmsync::folder
