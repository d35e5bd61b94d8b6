#include "connectors/folder/inbox/change_tracker.hpp"

#include <gtest/gtest.h>

#include <map>

namespace crmsync::folder {
namespace {

InboxFile file(std::string rep, std::string path, std::uint64_t size, std::int64_t mtime) {
  return InboxFile{std::move(rep), std::move(path), size, mtime, FileIdentity{1, 1}};
}

// A hasher over fixed contents that counts its calls, to prove what is (not) read.
struct FakeHasher {
  std::map<std::string, std::string> contents;  // key -> hash
  mutable int calls = 0;
  ContentHasher fn() const {
    return [this](const InboxFile& f) {
      ++calls;
      const auto it = contents.find(f.key());
      if (it == contents.end()) throw Error(ErrorCategory::input, "cannot read " + f.key());
      return it->second;
    };
  }
};

TEST(ClassifyChanges, NewFilesAreAdded) {
  InMemoryKnownFiles known;
  FakeHasher hasher{{{"anna/a.csv", "h1"}}};
  const ChangeSet set = classify_changes({file("anna", "a.csv", 3, 10)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::added);
  EXPECT_EQ(set.changes[0].sha256, "h1");
}

TEST(ClassifyChanges, SameSizeAndMtimeIsUnchangedWithoutReading) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher;
  const ChangeSet set = classify_changes({file("anna", "a.csv", 3, 10)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::unchanged);
  EXPECT_FALSE(set.changes[0].metadata_only);
  EXPECT_EQ(hasher.calls, 0);
}

TEST(ClassifyChanges, TouchedButSameContentIsUnchanged) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher{{{"anna/a.csv", "h1"}}};
  const ChangeSet set = classify_changes({file("anna", "a.csv", 3, 99)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::unchanged);
  EXPECT_TRUE(set.changes[0].metadata_only);
  EXPECT_EQ(hasher.calls, 1);
}

TEST(ClassifyChanges, NewContentIsChanged) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher{{{"anna/a.csv", "h2"}}};
  const ChangeSet set = classify_changes({file("anna", "a.csv", 4, 11)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::changed);
  EXPECT_EQ(set.changes[0].sha256, "h2");
}

TEST(ClassifyChanges, SameHashUnderANewPathIsARename) {
  InMemoryKnownFiles known;
  known.put({"anna", "old.csv", 3, 10, "h1"});
  FakeHasher hasher{{{"anna/sub/new.csv", "h1"}}};
  const ChangeSet set = classify_changes({file("anna", "sub/new.csv", 3, 10)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::renamed);
  EXPECT_EQ(set.changes[0].relative_path, "sub/new.csv");
  EXPECT_EQ(set.changes[0].previous_path, "old.csv");
}

TEST(ClassifyChanges, CopyOfAFileStillPresentIsAddedNotRenamed) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher{{{"anna/copy.csv", "h1"}}};
  const ChangeSet set = classify_changes(
      {file("anna", "a.csv", 3, 10), file("anna", "copy.csv", 3, 12)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 2U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::unchanged);
  EXPECT_EQ(set.changes[1].kind, ChangeKind::added);
}

TEST(ClassifyChanges, MoveToAnotherRepIsRemovalPlusAddition) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher{{{"bob/a.csv", "h1"}}};
  const ChangeSet set = classify_changes({file("bob", "a.csv", 3, 10)}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 2U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::removed);
  EXPECT_EQ(set.changes[0].rep, "anna");
  EXPECT_EQ(set.changes[1].kind, ChangeKind::added);
}

TEST(ClassifyChanges, GoneFilesAreRemoved) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher;
  const ChangeSet set = classify_changes({}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::removed);
  EXPECT_EQ(set.changes[0].sha256, "h1");
  EXPECT_FALSE(set.changes[0].file.has_value());
}

TEST(ClassifyChanges, UnreadableFileIsAFailureNotARemoval) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  FakeHasher hasher;  // knows no content: every hash throws
  const ChangeSet set = classify_changes({file("anna", "a.csv", 5, 11)}, known, hasher.fn());
  EXPECT_TRUE(set.changes.empty());
  ASSERT_EQ(set.failures.size(), 1U);
  EXPECT_EQ(set.failures[0].file.key(), "anna/a.csv");
}

TEST(InMemoryKnownFiles, PutReplacesAndEraseRemoves) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  known.put({"anna", "a.csv", 4, 11, "h2"});
  ASSERT_EQ(known.all().size(), 1U);
  EXPECT_EQ(known.all()[0].sha256, "h2");
  known.erase("anna", "a.csv");
  EXPECT_TRUE(known.all().empty());
}

}  // namespace
}  // namespace crmsync::folder

namespace crmsync::folder {
namespace {

TEST(ClassifyReadyFiles, FilesPresentButNotReadyAreNeitherClassifiedNorRemoved) {
  InMemoryKnownFiles known;
  known.put({"anna", "a.csv", 3, 10, "h1"});
  known.put({"anna", "b.csv", 5, 10, "h2"});
  FakeHasher hasher{{{"anna/b.csv", "h3"}}};
  const InboxFile a = file("anna", "a.csv", 4, 11);  // being rewritten, not ready yet
  const InboxFile b = file("anna", "b.csv", 6, 11);
  const ChangeSet set = classify_changes({b}, {a, b}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].relative_path, "b.csv");
  EXPECT_EQ(set.changes[0].kind, ChangeKind::changed);
}

TEST(ClassifyReadyFiles, RemovalWaitsWhileARenameMayBeSettling) {
  InMemoryKnownFiles known;
  known.put({"anna", "old.csv", 3, 10, "h1"});
  FakeHasher hasher{{{"anna/new.csv", "h1"}}};
  const InboxFile renamed = file("anna", "new.csv", 3, 10);
  // The renamed file is present but still inside its stability window: no removal yet.
  EXPECT_TRUE(classify_changes({}, {renamed}, known, hasher.fn()).changes.empty());
  // Once it is ready it is the rename it was.
  const ChangeSet set = classify_changes({renamed}, {renamed}, known, hasher.fn());
  ASSERT_EQ(set.changes.size(), 1U);
  EXPECT_EQ(set.changes[0].kind, ChangeKind::renamed);
  // A pending file of another size does not hold the removal back.
  const InboxFile other = file("anna", "other.csv", 99, 10);
  const ChangeSet removal = classify_changes({}, {other}, known, hasher.fn());
  ASSERT_EQ(removal.changes.size(), 1U);
  EXPECT_EQ(removal.changes[0].kind, ChangeKind::removed);
}

}  // namespace
}  // namespace crmsync::folder
