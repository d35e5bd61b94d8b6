// core/text/byte_scan.hpp — finds the first byte of a text that needs more than a copy (an
// escape, a check), sixteen bytes at a time where SSE2 is (x86-64 always). Writers of JSON, XML
// and CSV copy runs of plain text whole; looking at each byte alone was the largest CPU cost of
// a 100k-row sync's outputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Only where AddressSanitizer is on: elsewhere the attribute keeps GCC from inlining the scan.
#if defined(__SANITIZE_ADDRESS__)
#define CRMSYNC_NO_ADDRESS_SANITIZER __attribute__((no_sanitize_address))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRMSYNC_NO_ADDRESS_SANITIZER __attribute__((no_sanitize_address))
#endif
#endif
#ifndef CRMSYNC_NO_ADDRESS_SANITIZER
#define CRMSYNC_NO_ADDRESS_SANITIZER
#endif

namespace crmsync {

// Where the first byte of `text` for which `special(byte)` holds is; text.size() when none.
// `mask_of(bytes)` says the same of sixteen bytes at once (an __m128i), bit k for byte k. Most
// values are shorter than sixteen bytes: those are read in one load too when it stays within
// their memory page, and the bytes past their end are masked off. Hence no AddressSanitizer
// here: it would report a read past the text that cannot fault and whose bytes are not used.
template <typename MaskOf, typename Special>
CRMSYNC_NO_ADDRESS_SANITIZER inline std::size_t find_special_byte(std::string_view text,
                                                                  [[maybe_unused]] MaskOf mask_of,
                                                                  Special special) {
  std::size_t i = 0;
#if defined(__SSE2__)
  // The loads are written out here, not in a lambda: one would be a function of its own, which
  // the attribute does not cover.
  constexpr std::uintptr_t kPage = 4096;
  for (; i + 16 <= text.size(); i += 16) {
    const auto mask = static_cast<unsigned>(
        mask_of(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i))));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  const auto left = text.size() - i;
  if (left > 0 && reinterpret_cast<std::uintptr_t>(text.data() + i) % kPage <= kPage - 16) {
    const auto mask = static_cast<unsigned>(
        mask_of(_mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i))));
    return i + static_cast<std::size_t>(__builtin_ctz(mask | (0xFFFFu << left)));
  }
#endif
  while (i < text.size() && !special(static_cast<unsigned char>(text[i])))
    ++i;
  return i;
}

}  // namespace crmsync
