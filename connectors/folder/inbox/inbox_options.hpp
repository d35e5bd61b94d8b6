// connectors/folder/inbox/inbox_options.hpp — the plain options of the inbox scanner and watcher.
// The lead fills this from connectors/folder/folder_settings.hpp (the declared settings); this
// library never parses configuration itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

namespace crmsync::folder {

struct InboxOptions {
  // The inbox root. Layout: <root>/<rep>/<any subfolders>/<file>; the first-level folder name is
  // the rep (owner_from: subfolder, the only layout DESIGN.md describes). The root itself is
  // configured by the administrator and may be a symlink; nothing below it may.
  std::filesystem::path root;
  // Files larger than this are refused (reported), never opened.
  std::uint64_t max_file_bytes = 100ULL * 1024 * 1024;
  // Subfolder nesting allowed below a rep folder; deeper entries are refused.
  std::uint32_t max_depth = 8;
  // A file is ready once its size, mtime and inode have not changed for this long.
  std::chrono::milliseconds stability_window{std::chrono::seconds(2)};
  // Coalesces bursts of inotify events into one scan.
  std::chrono::milliseconds debounce{std::chrono::milliseconds(200)};
  // Full rescan period: catches what inotify misses (network filesystems, lost events).
  std::chrono::milliseconds rescan_interval{std::chrono::minutes(5)};
  // Off only in tests that prove the periodic rescan alone finds files.
  bool use_inotify = true;
};

}  // namespace crmsync::folder
