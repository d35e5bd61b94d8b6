#include "core/memory/leave_for_exit.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crmsync {
namespace {

struct Tracked {
  bool* destroyed;
  std::vector<std::string> payload{1000, std::string(64, 'x')};
  ~Tracked() { *destroyed = true; }
};

TEST(LeaveForExit, TheObjectIsNeitherDestroyedNorMoved) {
  bool destroyed = false;
  auto owner = std::make_unique<Tracked>(Tracked{&destroyed});
  destroyed = false;  // the temporary above
  const auto* object = owner.get();
  leave_for_exit(std::move(owner));
  EXPECT_EQ(owner, nullptr);
  EXPECT_FALSE(destroyed);
  // Still whole: the leak checker of the sanitizer build sees it as reachable, not lost.
  EXPECT_EQ(object->payload.size(), 1000u);
}

TEST(LeaveForExit, AnEmptyPointerIsAccepted) {
  leave_for_exit(std::unique_ptr<Tracked>());
}

}  // namespace
}  // namespace crmsync
