// connectors/folder/inbox/inotify_events.hpp — decoding a buffer of inotify events into what the
// watcher must do. Kept apart from the Asio code so every event kind (including queue overflow,
// which a test cannot provoke without root) is unit-tested on synthetic buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace crmsync::folder {

// The events the watcher subscribes to on every inbox folder.
std::uint32_t inbox_watch_mask() noexcept;

struct InotifyDigest {
  bool overflow = false;             // IN_Q_OVERFLOW: events were lost; rescan everything now
  bool changed = false;              // something in a watched folder changed: scan (debounced)
  std::vector<int> dropped_watches;  // IN_IGNORED: the kernel removed these watches
};

// Decodes whole events from `buffer` (as read() from an inotify descriptor returns them: never a
// partial event). A truncated tail is treated as an overflow, so nothing is silently missed.
InotifyDigest decode_inotify_events(std::span<const std::byte> buffer);

}  // namespace crmsync::folder
