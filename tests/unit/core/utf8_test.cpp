#include "core/text/utf8.hpp"

#include <gtest/gtest.h>

namespace crmsync {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("Müller, José, 東京, 🙂"));
}

TEST(Utf8, FindsTheFirstIllFormedByte) {
  EXPECT_EQ(first_invalid_utf8("ab\xE9"
                               "cd"),
            2u);                                          // cp1252 é
  EXPECT_EQ(first_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(first_invalid_utf8("x\xED\xA0\x80"), 1u);     // UTF-16 surrogate
  EXPECT_EQ(first_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("ok\xE2\x82"), 2u);        // truncated
}

TEST(Utf8, EscapesControlAndInvalidBytesForLogs) {
  EXPECT_EQ(escape_control_and_invalid("a\nb\x01\xFFé\\"), "a\\x0Ab\\x01\\xFFé\\\\");
}

}  // namespace
}  // namespace crmsync
