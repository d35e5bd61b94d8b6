#include "core/threads/side_by_side.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

namespace crmsync {
namespace {

TEST(SideBySide, WorthAThreadTheSecondRunsOnAnotherThreadAndBothAreDoneOnReturn) {
  std::thread::id first_on, second_on;
  side_by_side(
      true, [&] { first_on = std::this_thread::get_id(); },
      [&] { second_on = std::this_thread::get_id(); });
  EXPECT_EQ(first_on, std::this_thread::get_id());
  EXPECT_NE(second_on, std::thread::id());
  EXPECT_NE(second_on, first_on);
}

TEST(SideBySide, NotWorthAThreadBothRunHereFirstThenSecond) {
  std::vector<int> order;
  std::thread::id second_on;
  side_by_side(
      false, [&] { order.push_back(1); },
      [&] {
        order.push_back(2);
        second_on = std::this_thread::get_id();
      });
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(second_on, std::this_thread::get_id());
}

TEST(SideBySide, AnExceptionOfTheSecondReachesTheCaller) {
  EXPECT_THROW(side_by_side(
                   true, [] {}, [] { throw std::runtime_error("second"); }),
               std::runtime_error);
}

}  // namespace
}  // namespace crmsync
