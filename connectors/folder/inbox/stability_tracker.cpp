#include "connectors/folder/inbox/stability_tracker.hpp"

#include <set>

namespace crmsync::folder {
namespace {

bool same_state(const InboxFile& a, const InboxFile& b) noexcept {
  return a.size == b.size && a.mtime_ns == b.mtime_ns && a.identity == b.identity;
}

}  // namespace

std::vector<InboxFile> StabilityTracker::update(const std::vector<InboxFile>& scan, TimePoint now) {
  std::set<std::string> seen;
  for (const InboxFile& file : scan) {
    std::string key = file.key();
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      entries_.emplace(key, Entry{file, now, false});
    } else if (!same_state(it->second.file, file)) {
      it->second = Entry{file, now, false};
    }
    seen.insert(std::move(key));
  }
  std::vector<InboxFile> ready;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!seen.contains(it->first)) {
      it = entries_.erase(it);
      continue;
    }
    Entry& entry = it->second;
    if (!entry.reported && now - entry.unchanged_since >= window_) {
      entry.reported = true;
      ready.push_back(entry.file);
    }
    ++it;
  }
  return ready;
}

std::optional<StabilityTracker::TimePoint> StabilityTracker::next_deadline() const {
  std::optional<TimePoint> earliest;
  for (const auto& [key, entry] : entries_) {
    if (entry.reported) continue;
    const auto deadline =
        entry.unchanged_since + std::chrono::duration_cast<TimePoint::duration>(window_);
    if (!earliest || deadline < *earliest) earliest = deadline;
  }
  return earliest;
}

std::size_t StabilityTracker::pending() const {
  std::size_t count = 0;
  for (const auto& [key, entry] : entries_)
    count += entry.reported ? 0 : 1;
  return count;
}

}  // namespace crmsync::folder
