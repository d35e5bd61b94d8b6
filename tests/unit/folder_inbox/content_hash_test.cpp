#include "connectors/folder/inbox/content_hash.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/unit/folder_inbox/temp_inbox.hpp"

namespace crmsync::folder {
namespace {

using testing::TempInbox;

TEST(Sha256HexOfFd, MatchesKnownVectors) {
  TempInbox inbox;
  inbox.write("empty", "");
  inbox.write("abc", "abc");
  const UniqueFd empty(::open(inbox.path("empty").c_str(), O_RDONLY));
  const UniqueFd abc(::open(inbox.path("abc").c_str(), O_RDONLY));
  EXPECT_EQ(sha256_hex_of_fd(empty.get()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex_of_fd(abc.get()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256HexOfFd, StreamsFilesLargerThanTheBufferAndKeepsTheOffset) {
  TempInbox inbox;
  // One million 'a': the FIPS 180-2 long-message vector, 15 reads of the 64 KiB buffer.
  inbox.write("million", std::string(1'000'000, 'a'));
  const UniqueFd fd(::open(inbox.path("million").c_str(), O_RDONLY));
  EXPECT_EQ(sha256_hex_of_fd(fd.get()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(::lseek(fd.get(), 0, SEEK_CUR), 0);
}

TEST(Sha256HexOfFd, ReadErrorIsAnInputError) {
  TempInbox inbox;
  const UniqueFd dir(::open(inbox.root().c_str(), O_RDONLY | O_DIRECTORY));
  try {
    sha256_hex_of_fd(dir.get());  // read() on a directory fails with EISDIR
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::input);
  }
}

TEST(HashInboxFile, HashesThroughTheSafeOpen) {
  TempInbox inbox;
  inbox.write("anna/abc.csv", "abc");
  InboxOptions options;
  options.root = inbox.root();
  const ScanResult scan = scan_inbox(options);
  ASSERT_EQ(scan.files.size(), 1U);
  EXPECT_EQ(hash_inbox_file(options, scan.files.front()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashInboxFile, RefusesAFileSwappedForASymlinkAfterTheScan) {
  TempInbox inbox;
  TempInbox outside;
  outside.write("secret", "secret");
  inbox.write("anna/abc.csv", "abc");
  InboxOptions options;
  options.root = inbox.root();
  const ScanResult scan = scan_inbox(options);
  ASSERT_EQ(scan.files.size(), 1U);
  std::filesystem::remove(inbox.path("anna/abc.csv"));
  ASSERT_EQ(::symlink(outside.path("secret").c_str(), inbox.path("anna/abc.csv").c_str()), 0);
  EXPECT_THROW(hash_inbox_file(options, scan.files.front()), FileRefused);
}

}  // namespace
}  // namespace crmsync::folder
