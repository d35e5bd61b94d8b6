#include "connectors/folder/inbox/inbox_layout.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "tests/unit/folder_inbox/temp_inbox.hpp"

namespace crmsync::folder {
namespace {

using testing::TempInbox;

InboxOptions options_for(const TempInbox& inbox) {
  InboxOptions options;
  options.root = inbox.root();
  options.max_file_bytes = 1024;
  options.max_depth = 3;
  return options;
}

std::vector<std::string> keys(const std::vector<InboxFile>& files) {
  std::vector<std::string> out;
  for (const auto& file : files)
    out.push_back(file.key());
  return out;
}

std::optional<Refusal> refusal_at(const ScanResult& result, const std::string& key) {
  const auto it = std::find_if(result.refused.begin(), result.refused.end(),
                               [&](const RefusedEntry& entry) { return entry.key() == key; });
  if (it == result.refused.end()) return std::nullopt;
  return it->refusal;
}

TEST(ScanInbox, FindsFilesOfEachRepIncludingSubfolders) {
  TempInbox inbox;
  inbox.write("anna@acme.com/My Contacts.xlsx", "xlsx");
  inbox.write("anna@acme.com/2024/Q3/leads.csv", "csv");
  inbox.write("bob.jones/contacts.vcf", "vcf");
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files),
            (std::vector<std::string>{"anna@acme.com/2024/Q3/leads.csv",
                                      "anna@acme.com/My Contacts.xlsx", "bob.jones/contacts.vcf"}));
  EXPECT_TRUE(result.refused.empty());
  const InboxFile& leads = result.files.front();
  EXPECT_EQ(leads.rep, "anna@acme.com");
  EXPECT_EQ(leads.relative_path, "2024/Q3/leads.csv");
  EXPECT_EQ(leads.size, 3U);
  EXPECT_GT(leads.mtime_ns, 0);
  EXPECT_NE(leads.identity.inode, 0U);
  EXPECT_NE(
      std::find(result.directories.begin(), result.directories.end(), "anna@acme.com/2024/Q3"),
      result.directories.end());
}

TEST(ScanInbox, NeverReadsCrmsyncsOwnFolders) {
  TempInbox inbox;
  inbox.write("anna/reports/a.csv.report.csv", "r");
  inbox.write("anna/processed/a.csv", "p");
  inbox.write("anna/failed/b.csv", "f");
  inbox.write("anna/sub/reports/c.csv", "deeper reports folders are the rep's own");
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/sub/reports/c.csv"}));
}

TEST(ScanInbox, SkipsTemporariesQuietly) {
  TempInbox inbox;
  inbox.write("anna/~$Contacts.xlsx", "lock");
  inbox.write("anna/.~lock.Contacts.xlsx#", "lock");
  inbox.write("anna/contacts.csv.crdownload", "partial");
  inbox.write("anna/Contacts.xlsx", "real");
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/Contacts.xlsx"}));
  EXPECT_EQ(result.skipped.size(), 3U);
  EXPECT_TRUE(result.refused.empty());
}

TEST(ScanInbox, RefusesSymlinksToFilesAndFolders) {
  TempInbox inbox;
  TempInbox outside;
  outside.write("secret.csv", "secret");
  inbox.write("anna/real.csv", "a");
  ASSERT_EQ(::symlink(outside.path("secret.csv").c_str(), inbox.path("anna/link.csv").c_str()), 0);
  ASSERT_EQ(::symlink(outside.root().c_str(), inbox.path("anna/linkdir").c_str()), 0);
  ASSERT_EQ(::symlink(outside.root().c_str(), inbox.path("mallory").c_str()), 0);
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/real.csv"}));
  EXPECT_EQ(refusal_at(result, "anna/link.csv"), Refusal::symlink);
  EXPECT_EQ(refusal_at(result, "anna/linkdir"), Refusal::symlink);
  EXPECT_EQ(refusal_at(result, "/mallory"), Refusal::symlink);
}

TEST(ScanInbox, RefusesHardLinksFifosAndLargeFiles) {
  TempInbox inbox;
  TempInbox outside;
  outside.write("passwd", "root:x:0:0");
  inbox.write("anna/ok.csv", "ok");
  std::error_code cross_device;
  std::filesystem::create_hard_link(outside.path("passwd"), inbox.path("anna/hard.csv"),
                                    cross_device);
  ASSERT_FALSE(cross_device) << "temp dirs are on one filesystem";
  ASSERT_EQ(::mkfifo(inbox.path("anna/pipe.csv").c_str(), 0600), 0);
  inbox.write("anna/big.csv", std::string(1025, 'x'));
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/ok.csv"}));
  EXPECT_EQ(refusal_at(result, "anna/hard.csv"), Refusal::hard_link);
  EXPECT_EQ(refusal_at(result, "anna/pipe.csv"), Refusal::not_regular);
  EXPECT_EQ(refusal_at(result, "anna/big.csv"), Refusal::too_large);
}

TEST(ScanInbox, RefusesBadNamesAndKeepsGoing) {
  TempInbox inbox;
  inbox.write("anna/caf\xe9.csv", "latin1 name");
  inbox.write("anna/line\nbreak.csv", "newline");
  inbox.write("bad\x01rep/x.csv", "rep folder with a control character");
  inbox.write("anna/fine.csv", "ok");
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/fine.csv"}));
  EXPECT_EQ(refusal_at(result, "anna/caf\xe9.csv"), Refusal::bad_name);
  EXPECT_EQ(refusal_at(result, "anna/line\nbreak.csv"), Refusal::bad_name);
  EXPECT_EQ(refusal_at(result, "/bad\x01rep"), Refusal::bad_name);
}

TEST(ScanInbox, RefusesFilesOutsideRepFoldersAndTooDeep) {
  TempInbox inbox;
  inbox.write("loose.csv", "no rep");
  inbox.write("anna/1/2/3/4/deep.csv", "too deep");
  inbox.write("anna/1/2/3/ok.csv", "three levels are allowed");
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/1/2/3/ok.csv"}));
  EXPECT_EQ(refusal_at(result, "/loose.csv"), Refusal::not_in_rep_folder);
  EXPECT_EQ(refusal_at(result, "anna/1/2/3/4"), Refusal::too_deep);
}

TEST(ScanInbox, ReportsUnreadableFolders) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any folder";
  TempInbox inbox;
  inbox.write("anna/locked/a.csv", "a");
  inbox.write("anna/b.csv", "b");
  std::filesystem::permissions(inbox.path("anna/locked"), std::filesystem::perms::none);
  const ScanResult result = scan_inbox(options_for(inbox));
  EXPECT_EQ(keys(result.files), (std::vector<std::string>{"anna/b.csv"}));
  EXPECT_EQ(refusal_at(result, "anna/locked"), Refusal::unreadable);
}

TEST(ScanInbox, MissingRootThrowsConfigError) {
  InboxOptions options;
  options.root = "/nonexistent/crmsync-inbox";
  EXPECT_THROW(scan_inbox(options), Error);
}

}  // namespace
}  // namespace crmsync::folder

namespace crmsync::folder {
namespace {

TEST(ScanInbox, ReferenceInboxHasOneFilePerRepAndNothingRefused) {
  const std::filesystem::path inbox =
      std::filesystem::path(CRMSYNC_SHARED_DATA_DIR) / "world-small" / "inbox";
  if (!std::filesystem::is_directory(inbox)) GTEST_SKIP() << "shared data absent: " << inbox;
  InboxOptions options;
  options.root = inbox;
  const ScanResult result = scan_inbox(options);
  EXPECT_TRUE(result.refused.empty());
  std::set<std::string> reps;
  for (const InboxFile& file : result.files)
    reps.insert(file.rep);
  EXPECT_EQ(reps.size(), 8U);
  EXPECT_EQ(std::count_if(result.files.begin(), result.files.end(),
                          [](const InboxFile& file) {
                            return file.key() == "frank.rossi@acme.example/Q3 pipeline.xlsx";
                          }),
            1);
}

}  // namespace
}  // namespace crmsync::folder
