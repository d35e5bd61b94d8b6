#include "connectors/folder/inbox/inotify_events.hpp"

#include <gtest/gtest.h>
#include <sys/inotify.h>

#include <cstring>
#include <string>
#include <vector>

namespace crmsync::folder {
namespace {

// Appends one event as the kernel lays it out: the fixed header, then `len` name bytes
// (NUL-padded).
void append_event(std::vector<std::byte>& buffer, int wd, std::uint32_t mask,
                  const std::string& name = "") {
  inotify_event event{};
  event.wd = wd;
  event.mask = mask;
  event.len = name.empty() ? 0 : static_cast<std::uint32_t>((name.size() + 16) / 16 * 16);
  const std::size_t start = buffer.size();
  buffer.resize(start + sizeof(event) + event.len);
  std::memcpy(buffer.data() + start, &event, sizeof(event));
  std::memcpy(buffer.data() + start + sizeof(event), name.data(), name.size());
}

TEST(DecodeInotifyEvents, FileEventsAskForAScan) {
  std::vector<std::byte> buffer;
  append_event(buffer, 1, IN_CLOSE_WRITE, "contacts.csv");
  append_event(buffer, 1, IN_MOVED_TO, "leads.xlsx");
  const InotifyDigest digest = decode_inotify_events(buffer);
  EXPECT_TRUE(digest.changed);
  EXPECT_FALSE(digest.overflow);
  EXPECT_TRUE(digest.dropped_watches.empty());
}

TEST(DecodeInotifyEvents, OverflowAsksForAFullRescan) {
  std::vector<std::byte> buffer;
  append_event(buffer, -1, IN_Q_OVERFLOW);
  EXPECT_TRUE(decode_inotify_events(buffer).overflow);
}

TEST(DecodeInotifyEvents, IgnoredDropsTheWatch) {
  std::vector<std::byte> buffer;
  append_event(buffer, 7, IN_DELETE_SELF);
  append_event(buffer, 7, IN_IGNORED);
  const InotifyDigest digest = decode_inotify_events(buffer);
  EXPECT_EQ(digest.dropped_watches, std::vector<int>{7});
  EXPECT_TRUE(digest.changed);
}

TEST(DecodeInotifyEvents, TruncatedBufferCountsAsOverflow) {
  std::vector<std::byte> buffer;
  append_event(buffer, 1, IN_CREATE, "a-long-file-name.csv");
  buffer.resize(buffer.size() - 4);  // name cut short
  EXPECT_TRUE(decode_inotify_events(buffer).overflow);
  buffer.resize(sizeof(inotify_event) - 1);  // header cut short
  EXPECT_TRUE(decode_inotify_events(buffer).overflow);
}

TEST(DecodeInotifyEvents, UnalignedEventsAreRead) {
  std::vector<std::byte> storage(1);
  append_event(storage, 3, IN_IGNORED);
  const std::span<const std::byte> unaligned(storage.data() + 1, storage.size() - 1);
  EXPECT_EQ(decode_inotify_events(unaligned).dropped_watches, std::vector<int>{3});
}

TEST(InboxWatchMask, NeverFollowsSymlinksAndSkipsPerWriteEvents) {
  const std::uint32_t mask = inbox_watch_mask();
  EXPECT_NE(mask & IN_DONT_FOLLOW, 0U);
  EXPECT_NE(mask & IN_ONLYDIR, 0U);
  EXPECT_NE(mask & IN_CLOSE_WRITE, 0U);
  EXPECT_NE(mask & IN_MOVED_TO, 0U);
  EXPECT_EQ(mask & IN_MODIFY, 0U);
}

}  // namespace
}  // namespace crmsync::folder
