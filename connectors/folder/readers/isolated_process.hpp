// connectors/folder/readers/isolated_process.hpp — runs a function in a forked child with a memory
// cap and a deadline and hands back the bytes it wrote and how it ended, so a library that crashes,
// leaks or loops on a hostile file (libfreexl) costs one file, not the daemon.
//
// Trap: the child is a fork of a possibly multi-threaded process. It gets only the calling thread;
// a lock another thread held at the fork stays held in the child. glibc re-initialises malloc and
// stdio locks across fork, others (iconv's module cache) it does not: such a child then hangs, and
// the deadline turns that into an error for that one file instead of a stuck reader.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace crmsync::folder {

struct IsolationLimits {
  std::chrono::milliseconds deadline{std::chrono::minutes(2)};
  std::uint64_t max_output_bytes = 1ull << 30;
  // Address space the child may add to what it inherits (not applied under AddressSanitizer,
  // whose shadow memory needs terabytes of address space).
  std::uint64_t extra_address_space_bytes = 2ull << 30;
};

struct IsolatedRun {
  enum class End { exited, killed_by_signal, deadline_passed, output_too_large };
  End end = End::exited;
  int code = 0;  // exit status, or the signal number
  std::string output;
};

// Runs `body(fd)` in a child; `fd` is the write end of a pipe the parent collects. The child ends
// with _exit(0) when `body` returns and _exit(70) when it throws: no atexit handlers, no
// destructors of the parent's objects, no leak check of what the library leaked.
IsolatedRun run_isolated(const std::function<void(int fd)>& body, const IsolationLimits& limits);

// A child writes its bytes with crmsync::write_all (core/io/write_all.hpp): false when the pipe
// is gone.

}  // namespace crmsync::folder
