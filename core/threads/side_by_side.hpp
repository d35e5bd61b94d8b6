// core/threads/side_by_side.hpp — runs two independent pieces of work at once, the second on a
// thread of its own when one can be had and the work is worth it; otherwise one after the other.
#pragma once

#include <functional>
#include <future>
#include <system_error>

namespace crmsync {

// `first` and `second` must not write what the other reads or writes.
inline void side_by_side(bool worth_a_thread, const std::function<void()>& first,
                         const std::function<void()>& second) {
  std::future<void> beside;
  if (worth_a_thread) {
    try {
      beside = std::async(std::launch::async, second);
    } catch (const std::system_error&) {
      // No thread to be had (a service's task limit): one after the other.
    }
  }
  first();
  if (beside.valid())
    beside.get();
  else
    second();
}

}  // namespace crmsync
