#include "connectors/folder/inbox/stability_tracker.hpp"

#include <gtest/gtest.h>

namespace crmsync::folder {
namespace {

using namespace std::chrono_literals;
using TimePoint = StabilityTracker::TimePoint;

InboxFile file(std::uint64_t size, std::int64_t mtime_ns = 1, std::string path = "a.csv") {
  return InboxFile{"anna", std::move(path), size, mtime_ns, FileIdentity{1, 42}};
}

TEST(StabilityTracker, ReadyOnlyAfterTheWindow) {
  StabilityTracker tracker(2s);
  const TimePoint t0{};
  EXPECT_TRUE(tracker.update({file(10)}, t0).empty());
  EXPECT_EQ(tracker.next_deadline(), t0 + 2s);
  EXPECT_TRUE(tracker.update({file(10)}, t0 + 1999ms).empty());
  const auto ready = tracker.update({file(10)}, t0 + 2s);
  ASSERT_EQ(ready.size(), 1U);
  EXPECT_EQ(ready.front().key(), "anna/a.csv");
  EXPECT_EQ(tracker.next_deadline(), std::nullopt);
}

TEST(StabilityTracker, AGrowingFileIsNeverReady) {
  StabilityTracker tracker(2s);
  TimePoint now{};
  for (std::uint64_t size = 1; size < 20; ++size) {
    EXPECT_TRUE(tracker.update({file(size * 100)}, now).empty()) << size;
    now += 1s;
  }
  // The last growth was seen at now - 1s; it becomes ready two seconds after that.
  EXPECT_TRUE(tracker.update({file(1900)}, now + 999ms).empty());
  EXPECT_EQ(tracker.update({file(1900)}, now + 1s).size(), 1U);
}

TEST(StabilityTracker, MtimeOrInodeChangeRestartsTheWindow) {
  StabilityTracker tracker(1s);
  const TimePoint t0{};
  tracker.update({file(10, 1)}, t0);
  EXPECT_TRUE(tracker.update({file(10, 2)}, t0 + 1s).empty());  // same size, rewritten
  InboxFile replaced = file(10, 2);
  replaced.identity.inode = 43;  // replaced by rename
  EXPECT_TRUE(tracker.update({replaced}, t0 + 2s).empty());
  EXPECT_EQ(tracker.update({replaced}, t0 + 3s).size(), 1U);
}

TEST(StabilityTracker, ReportsEachStableStateOnceAndRearmsOnChange) {
  StabilityTracker tracker(1s);
  const TimePoint t0{};
  tracker.update({file(10)}, t0);
  EXPECT_EQ(tracker.update({file(10)}, t0 + 1s).size(), 1U);
  EXPECT_TRUE(tracker.update({file(10)}, t0 + 5s).empty());
  tracker.update({file(20, 2)}, t0 + 6s);
  EXPECT_EQ(tracker.update({file(20, 2)}, t0 + 7s).size(), 1U);
}

TEST(StabilityTracker, ForgetsVanishedFilesSoAReturnStartsOver) {
  StabilityTracker tracker(1s);
  const TimePoint t0{};
  tracker.update({file(10)}, t0);
  tracker.update({file(10)}, t0 + 1s);
  tracker.update({}, t0 + 2s);
  EXPECT_EQ(tracker.pending(), 0U);
  EXPECT_TRUE(tracker.update({file(10)}, t0 + 3s).empty());
  EXPECT_EQ(tracker.update({file(10)}, t0 + 4s).size(), 1U);
}

TEST(StabilityTracker, DeadlineIsTheEarliestPendingFile) {
  StabilityTracker tracker(2s);
  const TimePoint t0{};
  tracker.update({file(1, 1, "a.csv")}, t0);
  tracker.update({file(1, 1, "a.csv"), file(1, 1, "b.csv")}, t0 + 1s);
  EXPECT_EQ(tracker.next_deadline(), t0 + 2s);
  EXPECT_EQ(tracker.pending(), 2U);
}

}  // namespace
}  // namespace crmsync::folder
