// core/threads/in_two_halves.hpp — runs a loop over [0, n) as two halves, the second on a thread
// of its own when one can be had and the work is worth it. A cycle's long single-threaded
// stretches (planning, hashing a large file's rows) otherwise leave the second core idle.
#pragma once

#include <cstddef>
#include <functional>
#include <future>
#include <system_error>

namespace crmsync {

// body(begin, end) must touch only what its range owns, or what neither half writes.
inline void in_two_halves(std::size_t n, const std::function<void(std::size_t, std::size_t)>& body,
                          std::size_t worth_a_thread = 4096) {
  if (n < worth_a_thread) return body(0, n);
  std::future<void> second;
  try {
    second = std::async(std::launch::async, body, n / 2, n);
  } catch (const std::system_error&) {
    return body(0, n);
  }
  body(0, n / 2);
  second.get();
}

}  // namespace crmsync
