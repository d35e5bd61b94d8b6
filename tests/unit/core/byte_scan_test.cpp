#include "core/text/byte_scan.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace crmsync {
namespace {

bool is_x(unsigned char c) {
  return c == 'x';
}

std::size_t find_x(std::string_view text) {
  return find_special_byte(
      text,
#if defined(__SSE2__)
      [](__m128i bytes) { return _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('x'))); },
#else
      nullptr,
#endif
      is_x);
}

// The first special byte wherever it stands in a text of any length up to 40: in a block of
// sixteen, across blocks, in the short rest; and none at all.
TEST(FindSpecialByte, FindsTheFirstWhereverItStands) {
  for (std::size_t length = 0; length <= 40; ++length) {
    const std::string plain(length, 'a');
    EXPECT_EQ(find_x(plain), length) << "none in " << length;
    for (std::size_t at = 0; at < length; ++at) {
      std::string text = plain;
      text[at] = 'x';
      if (at + 1 < length) text[length - 1] = 'x';  // a later one does not count
      EXPECT_EQ(find_x(text), at) << "at " << at << " of " << length;
    }
  }
}

// Bytes past the end are never taken for the text's, even when they are special themselves.
TEST(FindSpecialByte, IgnoresTheBytesPastTheEnd) {
  const std::string buffer = "abcdexxxxxxxxxxxxxxxxxxxx";
  for (std::size_t length = 0; length <= 5; ++length)
    EXPECT_EQ(find_x(std::string_view(buffer.data(), length)), length);
}

// A short text is read sixteen bytes at a time only when that cannot leave its page: a text that
// ends where a page no one may read begins is read to its end and no further.
TEST(FindSpecialByte, TextEndingAtAPageNoOneMayReadIsReadNoFurther) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* pages = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(pages, MAP_FAILED);
  ASSERT_EQ(mprotect(static_cast<char*>(pages) + page, page, PROT_NONE), 0);
  for (std::size_t length = 1; length <= 40; ++length) {
    char* text = static_cast<char*>(pages) + page - length;
    std::memset(text, 'a', length);
    EXPECT_EQ(find_x(std::string_view(text, length)), length);
    text[length - 1] = 'x';
    EXPECT_EQ(find_x(std::string_view(text, length)), length - 1);
  }
  munmap(pages, 2 * page);
}

}  // namespace
}  // namespace crmsync
