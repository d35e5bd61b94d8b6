#include "connectors/folder/inbox/safe_open.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <functional>

#include "tests/unit/folder_inbox/temp_inbox.hpp"

namespace crmsync::folder {
namespace {

using testing::TempInbox;

Refusal refusal_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const FileRefused& refused) {
    return refused.refusal();
  }
  ADD_FAILURE() << "expected FileRefused";
  return Refusal::bad_path;
}

TEST(SplitRelativePath, RejectsEscapes) {
  for (const char* path : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a/", "."}) {
    EXPECT_EQ(refusal_of([&] { split_relative_path(path); }), Refusal::bad_path) << path;
  }
  EXPECT_EQ(split_relative_path("rep/sub/f.csv").size(), 3U);
}

TEST(OpenRegularBeneath, OpensAPlainFile) {
  TempInbox inbox;
  inbox.write("rep/sub/a.csv", "x,y\n");
  const UniqueFd root = open_inbox_root(inbox.root());
  const OpenedFile opened = open_regular_beneath(root.get(), "rep/sub/a.csv", 1024);
  EXPECT_TRUE(opened.fd.valid());
  EXPECT_EQ(opened.info.st_size, 4);
}

TEST(OpenRegularBeneath, RefusesSymlinkedFile) {
  TempInbox inbox;
  TempInbox outside;
  outside.write("secret.txt", "secret");
  inbox.write("rep/keep.csv", "a");
  ASSERT_EQ(::symlink(outside.path("secret.txt").c_str(), inbox.path("rep/link.csv").c_str()), 0);
  const UniqueFd root = open_inbox_root(inbox.root());
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(root.get(), "rep/link.csv", 1024); }),
            Refusal::symlink);
}

TEST(OpenRegularBeneath, RefusesSymlinkedFolderOnTheWay) {
  TempInbox inbox;
  TempInbox outside;
  outside.write("data/secret.csv", "secret");
  std::filesystem::create_directories(inbox.path("rep"));
  ASSERT_EQ(::symlink(outside.path("data").c_str(), inbox.path("rep/sub").c_str()), 0);
  const UniqueFd root = open_inbox_root(inbox.root());
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(root.get(), "rep/sub/secret.csv", 1024); }),
            Refusal::symlink);
}

TEST(OpenRegularBeneath, RefusesHardLinkTooLargeAndFifo) {
  TempInbox inbox;
  inbox.write("rep/a.csv", "0123456789");
  ASSERT_EQ(::link(inbox.path("rep/a.csv").c_str(), inbox.path("rep/b.csv").c_str()), 0);
  inbox.write("rep/big.csv", std::string(2048, 'x'));
  ASSERT_EQ(::mkfifo(inbox.path("rep/pipe.csv").c_str(), 0600), 0);
  const UniqueFd root = open_inbox_root(inbox.root());
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(root.get(), "rep/a.csv", 1024); }),
            Refusal::hard_link);
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(root.get(), "rep/big.csv", 1024); }),
            Refusal::too_large);
  // Without O_NONBLOCK this open would hang forever waiting for a writer.
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(root.get(), "rep/pipe.csv", 1024); }),
            Refusal::not_regular);
}

TEST(OpenRegularBeneath, RefusesAFileReplacedSinceTheScan) {
  TempInbox inbox;
  inbox.write("rep/a.csv", "old");
  struct stat before {};
  ASSERT_EQ(::stat(inbox.path("rep/a.csv").c_str(), &before), 0);
  const FileIdentity seen{before.st_dev, before.st_ino};
  inbox.write("rep/new.csv", "new");
  std::filesystem::rename(inbox.path("rep/new.csv"), inbox.path("rep/a.csv"));
  const UniqueFd root = open_inbox_root(inbox.root());
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(root.get(), "rep/a.csv", 1024, &seen); }),
            Refusal::changed);
}

TEST(OpenRegularBeneath, RefusesDotDotEvenWhenItWouldExist) {
  TempInbox inbox;
  inbox.write("rep/a.csv", "a");
  const UniqueFd root = open_inbox_root(inbox.root());
  const UniqueFd rep = open_directory_beneath(root.get(), "rep");
  EXPECT_EQ(refusal_of([&] { open_regular_beneath(rep.get(), "../rep/a.csv", 1024); }),
            Refusal::bad_path);
}

TEST(OpenDirectoryBeneath, CreatesMissingFoldersButNotThroughSymlinks) {
  TempInbox inbox;
  TempInbox outside;
  std::filesystem::create_directories(inbox.path("rep"));
  const UniqueFd root = open_inbox_root(inbox.root());
  EXPECT_TRUE(open_directory_beneath(root.get(), "rep/reports", true).valid());
  EXPECT_TRUE(std::filesystem::is_directory(inbox.path("rep/reports")));
  ASSERT_EQ(::symlink(outside.root().c_str(), inbox.path("rep/processed").c_str()), 0);
  EXPECT_EQ(refusal_of([&] { open_directory_beneath(root.get(), "rep/processed", true); }),
            Refusal::symlink);
}

TEST(OpenInboxRoot, MissingRootIsAConfigError) {
  try {
    open_inbox_root("/nonexistent/crmsync/inbox");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::config);
  }
}

}  // namespace
}  // namespace crmsync::folder

namespace crmsync::folder {
namespace {

TEST(FileRefused, MessageEscapesThePathButKeepsTheRawBytes) {
  const FileRefused refused(Refusal::symlink, "anna/evil\nINFO forged.csv");
  EXPECT_EQ(std::string(refused.what()).find('\n'), std::string::npos);
  EXPECT_NE(std::string(refused.what()).find("evil\\x0AINFO"), std::string::npos);
  EXPECT_EQ(refused.path(), "anna/evil\nINFO forged.csv");
  EXPECT_EQ(refused.category(), ErrorCategory::input);
}

}  // namespace
}  // namespace crmsync::folder
