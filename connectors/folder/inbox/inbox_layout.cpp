#include "connectors/folder/inbox/inbox_layout.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "connectors/folder/inbox/file_name.hpp"
#include "connectors/folder/inbox/temp_file_filter.hpp"

namespace crmsync::folder {
namespace {

// Lists a directory we hold as a descriptor. fdopendir takes ownership of the descriptor it is
// given, so it gets a duplicate and the caller keeps its own.
std::vector<std::string> list_directory(int dir_fd, bool& ok) {
  std::vector<std::string> names;
  ok = false;
  const int copy = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return names;
  DIR* dir = ::fdopendir(copy);
  if (dir == nullptr) {
    ::close(copy);
    return names;
  }
  ::rewinddir(dir);
  errno = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
    errno = 0;
  }
  ok = errno == 0;
  ::closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string join(std::string_view base, std::string_view name) {
  return base.empty() ? std::string(name) : std::string(base) + '/' + std::string(name);
}

class Scanner {
 public:
  Scanner(const InboxOptions& options, ScanResult& result) : options_(options), result_(result) {}

  void scan_root(int root_fd) {
    result_.directories.emplace_back();
    bool ok = false;
    for (const std::string& name : list_directory(root_fd, ok)) {
      struct stat info {};
      if (::fstatat(root_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) refuse("", name, Refusal::unreadable);  // ENOENT: deleted meanwhile
        continue;
      }
      if (auto reason = temporary_file_reason(name); reason && !S_ISDIR(info.st_mode)) {
        result_.skipped.push_back({"", name, *reason});
        continue;
      }
      if (name.starts_with(".")) continue;  // hidden folders (.Trash, .snapshot): not reps
      if (auto bad = check_file_name(name)) {
        refuse("", name, Refusal::bad_name, (S_ISDIR(info.st_mode) ? "folder " : "") + *bad);
      } else if (S_ISLNK(info.st_mode)) {
        refuse("", name, Refusal::symlink);
      } else if (!S_ISDIR(info.st_mode)) {
        refuse("", name, Refusal::not_in_rep_folder,
               "put files in a folder named after the rep (their email or CRM user name)");
      } else {
        scan_rep(root_fd, name);
      }
    }
    if (!ok) refuse("", "", Refusal::unreadable, "the inbox folder could not be listed");
  }

 private:
  void scan_rep(int root_fd, const std::string& rep) {
    const int fd = ::openat(root_fd, rep.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      refuse(rep, "", errno == ELOOP ? Refusal::symlink : Refusal::unreadable);
      return;
    }
    const UniqueFd rep_fd(fd);
    result_.directories.push_back(rep);
    scan_directory(rep_fd.get(), rep, "", 0);
  }

  void scan_directory(int dir_fd, const std::string& rep, const std::string& relative,
                      std::uint32_t depth) {
    bool ok = false;
    for (const std::string& name : list_directory(dir_fd, ok)) {
      const std::string path = join(relative, name);
      struct stat info {};
      if (::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT) refuse(rep, path, Refusal::unreadable);  // ENOENT: deleted meanwhile
        continue;
      }
      if (S_ISDIR(info.st_mode)) {
        if (depth == 0 && is_reserved_folder(name)) continue;
        if (name.starts_with(".")) continue;
        if (auto bad = check_file_name(name)) {
          refuse(rep, path, Refusal::bad_name, "folder " + *bad);
        } else if (depth + 1 > options_.max_depth) {
          refuse(rep, path, Refusal::too_deep);
        } else {
          descend(dir_fd, rep, path, name, depth);
        }
        continue;
      }
      if (auto reason = temporary_file_reason(name)) {
        result_.skipped.push_back({rep, path, *reason});
      } else if (auto bad = check_file_name(name)) {
        refuse(rep, path, Refusal::bad_name, *bad);
      } else if (S_ISLNK(info.st_mode)) {
        refuse(rep, path, Refusal::symlink);
      } else if (!S_ISREG(info.st_mode)) {
        refuse(rep, path, Refusal::not_regular);
      } else if (info.st_nlink > 1) {
        refuse(rep, path, Refusal::hard_link);
      } else if (static_cast<std::uint64_t>(info.st_size) > options_.max_file_bytes) {
        refuse(rep, path, Refusal::too_large);
      } else {
        result_.files.push_back(InboxFile{
            rep, path, static_cast<std::uint64_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec,
            FileIdentity{info.st_dev, info.st_ino}});
      }
    }
    if (!ok) refuse(rep, relative, Refusal::unreadable, "the folder could not be listed");
  }

  void descend(int dir_fd, const std::string& rep, const std::string& path, const std::string& name,
               std::uint32_t depth) {
    const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      refuse(rep, path, errno == ELOOP ? Refusal::symlink : Refusal::unreadable);
      return;
    }
    const UniqueFd child(fd);
    result_.directories.push_back(rep + '/' + path);
    scan_directory(child.get(), rep, path, depth + 1);
  }

  void refuse(const std::string& rep, const std::string& path, Refusal refusal,
              std::string detail = {}) {
    if (detail.empty()) detail = std::string(describe(refusal));
    result_.refused.push_back({rep, path, refusal, std::move(detail)});
  }

  const InboxOptions& options_;
  ScanResult& result_;
};

}  // namespace

bool is_reserved_folder(std::string_view name) noexcept {
  return name == kReportsFolder || name == kProcessedFolder || name == kFailedFolder;
}

Timestamp InboxFile::modified() const {
  return Timestamp(std::chrono::milliseconds(mtime_ns / 1'000'000));
}

ScanResult scan_inbox(const InboxOptions& options) {
  const UniqueFd root = open_inbox_root(options.root);
  ScanResult result;
  Scanner(options, result).scan_root(root.get());
  std::sort(result.files.begin(), result.files.end(),
            [](const InboxFile& a, const InboxFile& b) { return a.key() < b.key(); });
  return result;
}

}  // namespace crmsync::folder
