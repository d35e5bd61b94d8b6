// connectors/folder/inbox/content_hash.hpp — SHA-256 of a file's content, streamed (a large file
// never sits in memory) from a descriptor opened by safe_open, so what is hashed is exactly what
// was checked. The hash decides "changed" and "renamed"; mtime alone lies (touch, copies).
#pragma once

#include <string>

#include "connectors/folder/inbox/inbox_layout.hpp"

namespace crmsync::folder {

// Lowercase hex SHA-256 of everything from offset 0 to end of file; does not move the file
// offset (pread). Throws Error(input) on a read error.
std::string sha256_hex_of_fd(int fd);

// Opens `file` safely beneath the inbox root (its identity must match the scan) and hashes it.
// Throws FileRefused or Error(input).
std::string hash_inbox_file(const InboxOptions& options, const InboxFile& file);

}  // namespace crmsync::folder
