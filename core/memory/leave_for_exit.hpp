// core/memory/leave_for_exit.hpp — hands a large structure to the process's exit instead of
// destroying it. A one-shot command's 100k-row plan is millions of small allocations: freeing
// them one at a time took 0.3-0.6 s after the work was done, while the exit returns the whole
// address space at once. Compilers do the same (clang's -disable-free). The pointer stays
// reachable from a global, so leak checkers do not count it as lost.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

namespace crmsync {

template <typename T>
void leave_for_exit(std::unique_ptr<T> object) {
  // Never destroyed itself: a static vector's destructor would free everything at exit again.
  static auto* const kept = new std::vector<const void*>();
  static std::mutex guard;
  const std::lock_guard lock(guard);
  kept->push_back(object.release());
}

}  // namespace crmsync
