// tests/unit/folder_inbox/temp_inbox.hpp — a real, throw-away inbox folder for tests.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/scratch_dir.hpp"

namespace crmsync::folder::testing {

class TempInbox {
 public:
  TempInbox() : scratch_("crmsync-inbox"), root_(scratch_.path()) {}
  // Restores permissions a test may have removed, so that the scratch folder's removal can
  // descend.
  ~TempInbox() {
    std::error_code ignored;
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ignored);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ignored)) {
      if (it->is_directory(ignored) && !it->is_symlink(ignored)) {
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ignored);
      }
    }
  }
  TempInbox(const TempInbox&) = delete;
  TempInbox& operator=(const TempInbox&) = delete;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path path(const std::string& relative) const { return root_ / relative; }

  // Writes (replaces) a file below the root, creating folders on the way.
  std::filesystem::path write(const std::string& relative, const std::string& content) const {
    const auto target = root_ / relative;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out << content;
    return target;
  }

  void append(const std::string& relative, const std::string& content) const {
    std::ofstream out(root_ / relative, std::ios::binary | std::ios::app);
    out << content;
  }

  // POSIX read, not istreambuf_iterator: GCC 12 at -O2 reports a false -Wnull-dereference
  // inside <streambuf> for the iterator form.
  std::string read(const std::string& relative) const {
    const int fd = ::open((root_ / relative).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + relative);
    std::string out;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
      out.append(buffer, static_cast<std::size_t>(got));
    ::close(fd);
    return out;
  }

 private:
  test_support::ScratchDir scratch_;
  std::filesystem::path root_;
};

}  // namespace crmsync::folder::testing
