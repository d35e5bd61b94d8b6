#include "connectors/folder/inbox/inotify_events.hpp"

#include <sys/inotify.h>

#include <cstring>

namespace crmsync::folder {

std::uint32_t inbox_watch_mask() noexcept {
  // Not IN_MODIFY: a file being written fires it for every write; the stability rescan sees the
  // growth anyway. IN_ATTRIB catches `touch` and permission fixes. IN_DONT_FOLLOW and IN_ONLYDIR
  // make a symlink planted where a folder was unwatchable instead of followed.
  return IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB
         | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR | IN_EXCL_UNLINK;
}

InotifyDigest decode_inotify_events(std::span<const std::byte> buffer) {
  InotifyDigest digest;
  std::size_t offset = 0;
  while (offset < buffer.size()) {
    if (buffer.size() - offset < sizeof(inotify_event)) {
      digest.overflow = true;
      break;
    }
    // memcpy: the buffer holds events at offsets that need not be aligned for inotify_event.
    inotify_event event{};
    std::memcpy(&event, buffer.data() + offset, sizeof(inotify_event));
    const std::size_t total = sizeof(inotify_event) + event.len;
    if (buffer.size() - offset < total) {
      digest.overflow = true;
      break;
    }
    if ((event.mask & IN_Q_OVERFLOW) != 0) digest.overflow = true;
    if ((event.mask & IN_IGNORED) != 0) {
      digest.dropped_watches.push_back(event.wd);
    } else if ((event.mask & ~IN_ISDIR) != 0) {
      digest.changed = true;
    }
    offset += total;
  }
  return digest;
}

}  // namespace crmsync::folder
