#include "connectors/folder/inbox/safe_open.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "connectors/folder/inbox/file_name.hpp"

namespace crmsync::folder {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: if a FIFO is swapped in after the scan, open must not hang waiting for a writer;
// fstat then refuses it. O_NOCTTY: a terminal device must never become our controlling tty.
constexpr int kFileFlags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

Refusal refusal_from_errno(int error) noexcept {
  // O_NOFOLLOW on a symlink gives ELOOP; O_DIRECTORY on a symlink to a directory gives ENOTDIR
  // (the link itself is not a directory), which the caller re-checks with fstatat.
  if (error == ELOOP) return Refusal::symlink;
  return Refusal::unreadable;
}

UniqueFd open_directory_component(int parent, std::string_view name, bool create_missing,
                                  std::string_view relative) {
  const std::string component(name);
  int fd = ::openat(parent, component.c_str(), kDirFlags);
  if (fd < 0 && errno == ENOENT && create_missing) {
    if (::mkdirat(parent, component.c_str(), 0750) != 0 && errno != EEXIST) {
      throw FileRefused(Refusal::unreadable, std::string(relative));
    }
    fd = ::openat(parent, component.c_str(), kDirFlags);
  }
  if (fd < 0) {
    const int error = errno;
    struct stat info {};
    if (error == ENOTDIR && ::fstatat(parent, component.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0
        && S_ISLNK(info.st_mode)) {
      throw FileRefused(Refusal::symlink, std::string(relative));
    }
    if (error == ENOENT) {
      throw Error(ErrorCategory::input, "no such folder in the inbox: " + std::string(relative));
    }
    throw FileRefused(error == ENOTDIR ? Refusal::not_regular : refusal_from_errno(error),
                      std::string(relative));
  }
  return UniqueFd(fd);
}

}  // namespace

std::string_view describe(Refusal refusal) noexcept {
  switch (refusal) {
    case Refusal::symlink:
      return "is a symbolic link; links are not followed, copy the file in";
    case Refusal::hard_link:
      return "has other hard links; copy the file in instead of linking it";
    case Refusal::not_regular:
      return "is not a regular file";
    case Refusal::too_large:
      return "is larger than the configured size limit";
    case Refusal::bad_name:
      return "has a name crmsync cannot use; rename it";
    case Refusal::not_in_rep_folder:
      return "is not inside a rep's folder";
    case Refusal::too_deep:
      return "is nested in too many subfolders";
    case Refusal::unreadable:
      return "cannot be read (permission denied or I/O error)";
    case Refusal::changed:
      return "was replaced while crmsync was opening it";
    case Refusal::bad_path:
      return "has an invalid path";
  }
  return "was refused";
}

FileRefused::FileRefused(Refusal refusal, std::string path)
    // The message goes to logs: the path is escaped there; path() keeps the raw bytes.
    : Error(ErrorCategory::input, escape_for_log(path) + " " + std::string(describe(refusal))),
      refusal_(refusal),
      path_(std::move(path)) {}

std::vector<std::string_view> split_relative_path(std::string_view relative) {
  std::vector<std::string_view> parts;
  if (relative.empty() || relative.front() == '/') {
    throw FileRefused(Refusal::bad_path, std::string(relative));
  }
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t end = std::min(relative.find('/', start), relative.size());
    const std::string_view part = relative.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      throw FileRefused(Refusal::bad_path, std::string(relative));
    }
    parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

UniqueFd open_inbox_root(const std::filesystem::path& root) {
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCategory::config,
                "cannot open the inbox folder " + root.string() + ": " + std::strerror(errno));
  }
  return UniqueFd(fd);
}

UniqueFd open_directory_beneath(int dir_fd, std::string_view relative, bool create_missing) {
  UniqueFd current;
  for (const std::string_view part : split_relative_path(relative)) {
    current = open_directory_component(current.valid() ? current.get() : dir_fd, part,
                                       create_missing, relative);
  }
  return current;
}

OpenedFile open_regular_beneath(int dir_fd, std::string_view relative, std::uint64_t max_bytes,
                                const FileIdentity* expected) {
  const auto parts = split_relative_path(relative);
  UniqueFd parent;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    parent =
        open_directory_component(parent.valid() ? parent.get() : dir_fd, parts[i], false, relative);
  }
  const std::string leaf(parts.back());
  const int fd = ::openat(parent.valid() ? parent.get() : dir_fd, leaf.c_str(), kFileFlags);
  if (fd < 0) {
    if (errno == ENOENT) {
      throw Error(ErrorCategory::input, "no such file in the inbox: " + std::string(relative));
    }
    throw FileRefused(refusal_from_errno(errno), std::string(relative));
  }
  OpenedFile opened{UniqueFd(fd), {}};
  if (::fstat(fd, &opened.info) != 0) throw FileRefused(Refusal::unreadable, std::string(relative));
  if (!S_ISREG(opened.info.st_mode)) throw FileRefused(Refusal::not_regular, std::string(relative));
  if (opened.info.st_nlink > 1) throw FileRefused(Refusal::hard_link, std::string(relative));
  if (static_cast<std::uint64_t>(opened.info.st_size) > max_bytes) {
    throw FileRefused(Refusal::too_large, std::string(relative));
  }
  if (expected != nullptr && !(FileIdentity{opened.info.st_dev, opened.info.st_ino} == *expected)) {
    throw FileRefused(Refusal::changed, std::string(relative));
  }
  // Back to blocking reads: it is a regular file now, and readers expect ordinary read().
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return opened;
}

}  // namespace crmsync::folder
