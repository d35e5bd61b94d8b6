// core/memory/keep_freed_pages.hpp — asks the allocator to keep the pages a one-shot command
// frees instead of handing them back to the kernel as they age. A 100k-row sync frees and
// reallocates tens of megabytes as it goes, and jemalloc's decay returned about 56 MB of it only
// to fault it in again (14,000 page faults, some 25 ms of CPU); a process about to exit gains
// nothing from returning memory. The service keeps the default decay, so its memory goes back
// between cycles.
#pragma once

namespace crmsync {

// Does nothing under an allocator other than jemalloc (the sanitizer builds use their own).
void keep_freed_pages_until_exit() noexcept;

}  // namespace crmsync
