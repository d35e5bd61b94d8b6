#include "connectors/folder/readers/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

std::size_t MemoryByteSource::read(std::span<char> buffer) {
  const std::size_t n = std::min(buffer.size(), bytes_.size());
  std::memcpy(buffer.data(), bytes_.data(), n);
  bytes_.remove_prefix(n);
  return n;
}

FileByteSource::FileByteSource(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0)
    throw Error(ErrorCategory::input, "cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCategory::input, path.string() + " is not a regular file");
  }
  size_ = static_cast<std::uint64_t>(st.st_size);
  inode_ = st.st_ino;
  mtime_ns_ = mtime_ns(st);
}

FileByteSource::~FileByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileByteSource::read(std::span<char> buffer) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    throw Error(ErrorCategory::transient,
                "cannot read " + path_.string() + ": " + std::strerror(errno));
  }
}

std::size_t FileByteSource::read_at(std::uint64_t offset, std::span<unsigned char> buffer) const {
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n =
        ::pread(fd_, buffer.data() + done, buffer.size() - done, static_cast<off_t>(offset + done));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCategory::transient,
                  "cannot read " + path_.string() + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return done;
}

// Both checks matter: an editor that saves in place changes size/mtime behind our descriptor, one
// that writes a temporary file and renames it changes the inode behind the path.
void FileByteSource::check_unchanged() const {
  struct stat by_fd {};
  struct stat by_path {};
  const bool changed = ::fstat(fd_, &by_fd) != 0 || ::stat(path_.c_str(), &by_path) != 0
                       || by_path.st_ino != inode_ || by_fd.st_ino != inode_
                       || static_cast<std::uint64_t>(by_fd.st_size) != size_
                       || mtime_ns(by_fd) != mtime_ns_ || mtime_ns(by_path) != mtime_ns_;
  if (changed)
    throw Error(
        ErrorCategory::transient,
        path_.filename().string() + " changed while it was being read; it will be read again");
}

}  // namespace crmsync::folder
