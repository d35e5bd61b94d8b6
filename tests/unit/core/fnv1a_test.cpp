#include "core/text/fnv1a.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace crmsync {
namespace {

// The published FNV-1a 64 values, as sixteen lowercase hex digits, leading zeros kept: stored
// content hashes are compared with these strings across versions.
TEST(Fnv1a64, HexIsSixteenLowercaseDigits) {
  EXPECT_EQ(Fnv1a64().hex(), "cbf29ce484222325");
  EXPECT_EQ(Fnv1a64().add("a").hex(), "af63dc4c8601ec8c");
  EXPECT_EQ(Fnv1a64().add("foobar").hex(), "85944171f73967e8");
  for (const char* text : {"", "a", "row", "0123456789"}) {
    const auto hash = Fnv1a64().add_part(text);
    EXPECT_EQ(hash.hex(), fmt::format("{:016x}", hash.value())) << text;
  }
}

}  // namespace
}  // namespace crmsync
