#include "connectors/folder/inbox/consume_mover.hpp"

#include <fcntl.h>
#include <stdio.h>  // renameat2 (glibc >= 2.28, _GNU_SOURCE, which g++ defines)
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace crmsync::folder {
namespace {

constexpr unsigned kMaxAttempts = 1000;

// renameat2 with RENAME_NOREPLACE; filesystems without it (EINVAL: some network filesystems)
// get link + unlink, which also refuses to replace an existing name.
int rename_no_replace(int from_dir, const char* from, int to_dir, const char* to) {
  if (::renameat2(from_dir, from, to_dir, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  if (::linkat(from_dir, from, to_dir, to, 0) != 0) return -1;
  if (::unlinkat(from_dir, from, 0) != 0) {
    const int error = errno;
    ::unlinkat(to_dir, to, 0);
    errno = error;
    return -1;
  }
  return 0;
}

}  // namespace

std::string numbered_name(std::string_view name, unsigned attempt) {
  if (attempt <= 1) return std::string(name);
  const std::string suffix = " (" + std::to_string(attempt) + ")";
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::string(name) + suffix;
  return std::string(name.substr(0, dot)) + suffix + std::string(name.substr(dot));
}

std::string move_consumed_file(const InboxOptions& options, const InboxFile& file,
                               ConsumeDestination destination) {
  const UniqueFd root = open_inbox_root(options.root);
  const auto parts = split_relative_path(file.relative_path);
  const UniqueFd rep_dir = open_directory_beneath(root.get(), file.rep);
  const std::size_t slash = file.relative_path.rfind('/');
  UniqueFd source_dir;
  if (slash != std::string::npos) {
    source_dir = open_directory_beneath(rep_dir.get(), file.relative_path.substr(0, slash));
  }
  const int from_dir = source_dir.valid() ? source_dir.get() : rep_dir.get();
  const std::string leaf(parts.back());

  // rename() moves the directory entry and never follows a symlink, but the entry must still be
  // the file the scan saw and synced: a different file under that name stays where it is.
  struct stat info {};
  if (::fstatat(from_dir, leaf.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
    throw Error(ErrorCategory::input, "no such file in the inbox: " + file.key());
  }
  if (!S_ISREG(info.st_mode) || !(FileIdentity{info.st_dev, info.st_ino} == file.identity)) {
    throw FileRefused(Refusal::changed, file.key());
  }

  const std::string_view folder =
      destination == ConsumeDestination::processed ? kProcessedFolder : kFailedFolder;
  const UniqueFd target_dir = open_directory_beneath(rep_dir.get(), folder, true);
  for (unsigned attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    const std::string target = numbered_name(leaf, attempt);
    if (rename_no_replace(from_dir, leaf.c_str(), target_dir.get(), target.c_str()) == 0) {
      return std::string(folder) + '/' + target;
    }
    if (errno != EEXIST) {
      throw Error(ErrorCategory::input, "cannot move " + file.key() + " to " + std::string(folder)
                                            + ": " + std::strerror(errno));
    }
  }
  throw Error(ErrorCategory::input, "cannot move " + file.key() + " to " + std::string(folder)
                                        + ": too many files of that name there already");
}

}  // namespace crmsync::folder
