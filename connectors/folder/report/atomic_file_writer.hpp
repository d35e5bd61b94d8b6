// connectors/folder/report/atomic_file_writer.hpp — replacing a file so that a reader (the rep's
// Excel, a backup) sees the old or the new content, never half of it, and a crash leaves no torn
// file: write a temp file beside the target, fsync, rename over the target, fsync the folder.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::folder {

// Writes `bytes` to `name` inside the folder `dir_fd`. The temp file is a dotfile (the inbox scan
// skips those) created with O_EXCL | O_NOFOLLOW; renameat replaces a symlink at `name` instead of
// writing through it. Throws Error(transient) on I/O failure (disk full is worth a retry).
void write_file_atomically(int dir_fd, const std::string& name, std::string_view bytes);

}  // namespace crmsync::folder
