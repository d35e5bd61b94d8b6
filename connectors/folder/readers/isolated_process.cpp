#include "connectors/folder/readers/isolated_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define CRMSYNC_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRMSYNC_UNDER_ASAN 1
#endif
#endif

namespace crmsync::folder {
namespace {

// The address space the process maps now, from /proc/self/statm (pages); 0 when unknown. Only
// open/read here: the caller is a freshly forked child.
std::uint64_t mapped_bytes() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::array<char, 64> text{};
  const ssize_t n = ::read(fd, text.data(), text.size() - 1);
  ::close(fd);
  std::uint64_t pages = 0;
  for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i)
    pages = pages * 10 + static_cast<std::uint64_t>(text[i] - '0');
  return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

void limit_child(const IsolationLimits& limits) {
  const rlimit no_core{0, 0};  // a crash on a hostile file leaves no core with its contents
  ::setrlimit(RLIMIT_CORE, &no_core);
#ifndef CRMSYNC_UNDER_ASAN
  if (const std::uint64_t mapped = mapped_bytes(); mapped > 0) {
    const rlimit space{mapped + limits.extra_address_space_bytes,
                       mapped + limits.extra_address_space_bytes};
    ::setrlimit(RLIMIT_AS, &space);
  }
#else
  (void)limits;
  (void)mapped_bytes;
#endif
}

std::string os_error(const char* what) {
  return std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

IsolatedRun run_isolated(const std::function<void(int fd)>& body, const IsolationLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw Error(ErrorCategory::transient, os_error("cannot create a pipe"));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(ErrorCategory::transient, os_error("cannot start a child process"));
  }
  if (pid == 0) {
    ::close(fds[0]);
    limit_child(limits);
    int status = 0;
    try {
      body(fds[1]);
    } catch (...) {
      status = 70;
    }
    ::_exit(status);
  }
  ::close(fds[1]);

  IsolatedRun run;
  bool stop = false;
  std::string failure;  // a pipe error in the parent: the child is stopped, then this is thrown
  const auto deadline = std::chrono::steady_clock::now() + limits.deadline;
  std::array<char, 1 << 16> buffer;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.end = IsolatedRun::End::deadline_passed;
      stop = true;
      break;
    }
    pollfd ready{fds[0], POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (polled < 0 && errno == EINTR) continue;
    if (polled < 0) {
      failure = os_error("cannot wait for the child process");
      break;
    }
    if (polled == 0) continue;
    const ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failure = os_error("cannot read from the child process");
      break;
    }
    if (n == 0) break;  // EOF: the child has ended
    if (run.output.size() + static_cast<std::size_t>(n) > limits.max_output_bytes) {
      run.end = IsolatedRun::End::output_too_large;
      stop = true;
      break;
    }
    run.output.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (stop || !failure.empty()) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!failure.empty()) throw Error(ErrorCategory::transient, failure);
  if (stop) return run;
  if (WIFSIGNALED(status)) {
    run.end = IsolatedRun::End::killed_by_signal;
    run.code = WTERMSIG(status);
  } else {
    run.end = IsolatedRun::End::exited;
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return run;
}

}  // namespace crmsync::folder
