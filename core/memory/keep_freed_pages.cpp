#include "core/memory/keep_freed_pages.hpp"

#include <sys/types.h>

#include <cstddef>
#include <initializer_list>

// jemalloc's control interface, declared weak rather than through <jemalloc/jemalloc.h>: the
// library is linked into the crmsync executable only, and everything else (tests, sanitizer
// builds) sees a null function here.
extern "C" int mallctl(const char* name, void* old_value, std::size_t* old_length, void* new_value,
                       std::size_t new_length) __attribute__((weak));

namespace crmsync {

void keep_freed_pages_until_exit() noexcept {
  if (mallctl == nullptr) return;
  ssize_t never = -1;
  // The arenas that exist (4096 is jemalloc's MALLCTL_ARENAS_ALL), and those made later for new
  // threads. A refused setting leaves the default decay: slower, never wrong.
  for (const char* setting : {"arena.4096.dirty_decay_ms", "arena.4096.muzzy_decay_ms",
                              "arenas.dirty_decay_ms", "arenas.muzzy_decay_ms"})
    mallctl(setting, nullptr, nullptr, &never, sizeof never);
}

}  // namespace crmsync
