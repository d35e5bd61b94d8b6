// connectors/folder/inbox/safe_open.hpp — opening inside the inbox without ever leaving it.
// Every path is walked one component at a time with openat(O_NOFOLLOW) from a directory we
// already hold, so symlinks are refused instead of followed, and "..", "." and absolute paths are
// rejected before any system call. Files are checked on the opened descriptor (fstat), which is
// what is then read: a name swapped between scan and open cannot redirect the read.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/folder/inbox/unique_fd.hpp"
#include "core/error.hpp"

namespace crmsync::folder {

enum class Refusal : std::uint8_t {
  symlink,            // a symbolic link: never followed
  hard_link,          // st_nlink > 1: the same content is reachable from outside the inbox
  not_regular,        // a FIFO, socket or device
  too_large,          // above InboxOptions::max_file_bytes
  bad_name,           // not valid UTF-8, control or bidi characters
  not_in_rep_folder,  // a file directly in the inbox root
  too_deep,           // nested deeper than InboxOptions::max_depth
  unreadable,         // permission denied or an I/O error
  changed,            // the file is not the one the scan saw (replaced while being opened)
  bad_path,           // an empty, absolute or ".." path handed to the open functions
};

// Plain words for logs and the rep's report.
std::string_view describe(Refusal refusal) noexcept;

// The input error for one inbox entry; category input, so the engine rejects that file only.
class FileRefused : public Error {
 public:
  FileRefused(Refusal refusal, std::string path);
  Refusal refusal() const noexcept { return refusal_; }
  const std::string& path() const noexcept { return path_; }

 private:
  Refusal refusal_;
  std::string path_;
};

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

struct OpenedFile {
  UniqueFd fd;
  struct stat info {};
};

// The inbox root (configured by the administrator, so a symlink there is followed).
// Throws Error(config) when it is missing or not a directory.
UniqueFd open_inbox_root(const std::filesystem::path& root);

// Opens the directory `relative` (components separated by '/') beneath `dir_fd`; with
// create_missing, missing components are created (mode 0750). Throws FileRefused.
UniqueFd open_directory_beneath(int dir_fd, std::string_view relative, bool create_missing = false);

// Opens the regular file `relative` beneath `dir_fd` for reading and checks the descriptor:
// regular, a single link, at most max_bytes, and (when given) the identity the scan recorded.
// Throws FileRefused.
OpenedFile open_regular_beneath(int dir_fd, std::string_view relative, std::uint64_t max_bytes,
                                const FileIdentity* expected = nullptr);

// Splits a relative path into its components; throws FileRefused(bad_path) for empty, absolute,
// "." or ".." components.
std::vector<std::string_view> split_relative_path(std::string_view relative);

}  // namespace crmsync::folder
