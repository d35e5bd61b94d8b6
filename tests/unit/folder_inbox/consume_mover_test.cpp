#include "connectors/folder/inbox/consume_mover.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/unit/folder_inbox/temp_inbox.hpp"

namespace crmsync::folder {
namespace {

using testing::TempInbox;

InboxOptions options_for(const TempInbox& inbox) {
  InboxOptions options;
  options.root = inbox.root();
  return options;
}

InboxFile scanned(const InboxOptions& options, const std::string& key) {
  for (const InboxFile& file : scan_inbox(options).files) {
    if (file.key() == key) return file;
  }
  throw std::runtime_error("not scanned: " + key);
}

TEST(NumberedName, InsertsTheNumberBeforeTheExtension) {
  EXPECT_EQ(numbered_name("a.xlsx", 1), "a.xlsx");
  EXPECT_EQ(numbered_name("a.xlsx", 2), "a (2).xlsx");
  EXPECT_EQ(numbered_name("archive.tar.gz", 3), "archive.tar (3).gz");
  EXPECT_EQ(numbered_name("README", 2), "README (2)");
  EXPECT_EQ(numbered_name(".profile", 2), ".profile (2)");
}

TEST(MoveConsumedFile, MovesToProcessedAndCreatesTheFolder) {
  TempInbox inbox;
  inbox.write("anna/sub/a.csv", "a");
  const auto options = options_for(inbox);
  const InboxFile file = scanned(options, "anna/sub/a.csv");
  EXPECT_EQ(move_consumed_file(options, file, ConsumeDestination::processed), "processed/a.csv");
  EXPECT_EQ(inbox.read("anna/processed/a.csv"), "a");
  EXPECT_FALSE(std::filesystem::exists(inbox.path("anna/sub/a.csv")));
}

TEST(MoveConsumedFile, NeverOverwritesAnEarlierFile) {
  TempInbox inbox;
  inbox.write("anna/processed/a.csv", "first");
  inbox.write("anna/processed/a (2).csv", "second");
  inbox.write("anna/a.csv", "third");
  const auto options = options_for(inbox);
  EXPECT_EQ(
      move_consumed_file(options, scanned(options, "anna/a.csv"), ConsumeDestination::processed),
      "processed/a (3).csv");
  EXPECT_EQ(inbox.read("anna/processed/a.csv"), "first");
  EXPECT_EQ(inbox.read("anna/processed/a (2).csv"), "second");
  EXPECT_EQ(inbox.read("anna/processed/a (3).csv"), "third");
}

TEST(MoveConsumedFile, MovesUnreadableFilesToFailed) {
  TempInbox inbox;
  inbox.write("anna/broken.xlsx", "not a zip");
  const auto options = options_for(inbox);
  EXPECT_EQ(
      move_consumed_file(options, scanned(options, "anna/broken.xlsx"), ConsumeDestination::failed),
      "failed/broken.xlsx");
  EXPECT_EQ(inbox.read("anna/failed/broken.xlsx"), "not a zip");
}

TEST(MoveConsumedFile, RefusesWhenProcessedIsASymlinkOutOfTheInbox) {
  TempInbox inbox;
  TempInbox outside;
  inbox.write("anna/a.csv", "a");
  ASSERT_EQ(::symlink(outside.root().c_str(), inbox.path("anna/processed").c_str()), 0);
  const auto options = options_for(inbox);
  EXPECT_THROW(
      move_consumed_file(options, scanned(options, "anna/a.csv"), ConsumeDestination::processed),
      FileRefused);
  EXPECT_TRUE(std::filesystem::exists(inbox.path("anna/a.csv")));
  EXPECT_TRUE(std::filesystem::is_empty(outside.root()));
}

TEST(MoveConsumedFile, LeavesAFileThatReplacedTheSyncedOne) {
  TempInbox inbox;
  inbox.write("anna/a.csv", "synced");
  const auto options = options_for(inbox);
  const InboxFile synced = scanned(options, "anna/a.csv");
  inbox.write("anna/new.csv", "dropped again, not synced yet");
  std::filesystem::rename(inbox.path("anna/new.csv"), inbox.path("anna/a.csv"));
  try {
    move_consumed_file(options, synced, ConsumeDestination::processed);
    FAIL() << "expected FileRefused";
  } catch (const FileRefused& refused) {
    EXPECT_EQ(refused.refusal(), Refusal::changed);
  }
  EXPECT_EQ(inbox.read("anna/a.csv"), "dropped again, not synced yet");
}

}  // namespace
}  // namespace crmsync::folder
