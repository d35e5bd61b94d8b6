#include "connectors/folder/report/atomic_file_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "connectors/folder/inbox/unique_fd.hpp"
#include "core/error.hpp"
#include "core/io/write_all.hpp"

namespace crmsync::folder {
namespace {

std::atomic<unsigned> temp_counter{0};

[[noreturn]] void fail(const std::string& name, const char* step, int error) {
  throw Error(ErrorCategory::transient,
              "cannot write " + name + " (" + step + "): " + std::strerror(error));
}

}  // namespace

void write_file_atomically(int dir_fd, const std::string& name, std::string_view bytes) {
  const std::string temp = "." + name.substr(0, 200) + ".tmp-" + std::to_string(::getpid()) + "-"
                           + std::to_string(temp_counter.fetch_add(1));
  UniqueFd file(
      ::openat(dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640));
  if (!file.valid()) fail(name, "create", errno);
  const auto discard = [&](const char* step) {
    const int error = errno;
    file.reset();
    ::unlinkat(dir_fd, temp.c_str(), 0);
    fail(name, step, error);
  };
  if (!write_all(file.get(), bytes)) discard("write");
  if (::fsync(file.get()) != 0) discard("fsync");
  file.reset();
  if (::renameat(dir_fd, temp.c_str(), dir_fd, name.c_str()) != 0) discard("rename");
  ::fsync(dir_fd);  // makes the rename durable; a failure here loses nothing already visible
}

}  // namespace crmsync::folder
