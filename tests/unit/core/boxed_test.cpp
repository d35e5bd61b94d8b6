// Boxed<T> behaves as std::optional<T> does (empty, set, copied, moved, reset) while taking one
// pointer's room in its owner.
#include "core/memory/boxed.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace crmsync {
namespace {

struct Wide {
  std::string a, b, c, d;
};

TEST(Boxed, TakesOnePointersRoom) {
  static_assert(sizeof(Boxed<Wide>) == sizeof(void*));
  EXPECT_GT(sizeof(std::optional<Wide>), sizeof(Boxed<Wide>));
}

TEST(Boxed, IsEmptyUntilSetAndAfterReset) {
  Boxed<Wide> box;
  EXPECT_FALSE(box);
  EXPECT_FALSE(box.has_value());
  box = Wide{"1", "2", "3", "4"};
  ASSERT_TRUE(box);
  EXPECT_EQ(box->c, "3");
  EXPECT_EQ((*box).d, "4");
  box.reset();
  EXPECT_FALSE(box);
}

TEST(Boxed, ACopyIsItsOwnValue) {
  Boxed<Wide> original = Wide{"original", "", "", ""};
  Boxed<Wide> copy = original;
  copy->a = "changed";
  EXPECT_EQ(original->a, "original");
  EXPECT_EQ(copy->a, "changed");

  Boxed<Wide> empty;
  copy = empty;  // an empty box copies as empty
  EXPECT_FALSE(copy);
  copy = original;
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->a, "original");
  copy = copy;  // self-assignment keeps the value
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->a, "original");
}

TEST(Boxed, AMoveTakesTheValueWithoutCopyingIt) {
  Boxed<Wide> from = Wide{"moved", "", "", ""};
  const Wide* held = &*from;
  Boxed<Wide> to = std::move(from);
  ASSERT_TRUE(to);
  EXPECT_EQ(&*to, held);
  EXPECT_EQ(to->a, "moved");
}

}  // namespace
}  // namespace crmsync
