#include "connectors/folder/report/report_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "connectors/folder/inbox/inbox_layout.hpp"
#include "connectors/folder/inbox/safe_open.hpp"
#include "connectors/folder/report/atomic_file_writer.hpp"
#include "tests/unit/folder_inbox/temp_inbox.hpp"
#include "tests/unit/folder_inbox/xlsx_test_reader.hpp"

namespace crmsync::folder {
namespace {

using testing::TempInbox;

std::vector<ReportRow> one_row() {
  return {{2, "", ReportStatus::updated, "003000000000002AAA", "Bob Jones", "bob@example.com",
           "filled Phone"}};
}

TEST(ReportBaseName, FlattensSubfoldersAndFitsTheNameLimit) {
  EXPECT_EQ(report_base_name("My Contacts.xlsx"), "My Contacts.xlsx");
  EXPECT_EQ(report_base_name("2024/Q3/leads.csv"), "2024 - Q3 - leads.csv");
  // 200 two-byte characters: 400 bytes, cut to at most 243 without splitting a character.
  std::string long_name;
  for (int i = 0; i < 200; ++i)
    long_name += "\xc3\xa9";
  const std::string base = report_base_name(long_name + ".csv");
  EXPECT_LE(base.size() + std::string_view(".report.xlsx").size(), 255U);
  EXPECT_EQ(base.size() % 2, 0U);
  EXPECT_TRUE(base.starts_with("\xc3\xa9"));
}

TEST(WriteReportFiles, WritesBothFilesIntoTheRepsReportsFolder) {
  TempInbox inbox;
  inbox.write("anna/sub/leads.csv", "x");
  const WrittenReport written =
      write_report_files(inbox.root(), "anna", "sub/leads.csv", one_row());
  EXPECT_EQ(written.xlsx, "reports/sub - leads.csv.report.xlsx");
  EXPECT_EQ(written.csv, "reports/sub - leads.csv.report.csv");
  const std::string csv = inbox.read("anna/" + written.csv);
  EXPECT_NE(csv.find("2,,updated,003000000000002AAA,Bob Jones,bob@example.com,filled Phone"),
            std::string::npos);
  const testing::XlsxPackage package(inbox.read("anna/" + written.xlsx));
  EXPECT_EQ(testing::read_sheet_cells(package.read("xl/worksheets/sheet1.xml")).at("E2").text,
            "Bob Jones");
  // No temp files left behind, and the scan does not treat reports as input.
  for (const auto& entry : std::filesystem::directory_iterator(inbox.path("anna/reports"))) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << entry.path();
  }
  InboxOptions options;
  options.root = inbox.root();
  EXPECT_EQ(scan_inbox(options).files.size(), 1U);
}

TEST(WriteReportFiles, ReplacesTheEarlierReport) {
  TempInbox inbox;
  std::filesystem::create_directories(inbox.path("anna"));
  write_report_files(inbox.root(), "anna", "a.csv", one_row());
  std::vector<ReportRow> rows = one_row();
  rows[0].status = ReportStatus::unchanged;
  write_report_files(inbox.root(), "anna", "a.csv", rows);
  EXPECT_NE(inbox.read("anna/reports/a.csv.report.csv").find(",unchanged,"), std::string::npos);
}

TEST(WriteReportFiles, GoesIntoFailedBesideAnUnreadableFile) {
  TempInbox inbox;
  std::filesystem::create_directories(inbox.path("anna"));
  const WrittenReport written =
      write_report_files(inbox.root(), "anna", "broken.xlsx", {}, ReportFolder::failed);
  EXPECT_EQ(written.csv, "failed/broken.xlsx.report.csv");
  EXPECT_TRUE(std::filesystem::is_regular_file(inbox.path("anna/failed/broken.xlsx.report.xlsx")));
}

TEST(WriteReportFiles, RefusesASymlinkedReportsFolder) {
  TempInbox inbox;
  TempInbox outside;
  std::filesystem::create_directories(inbox.path("anna"));
  ASSERT_EQ(::symlink(outside.root().c_str(), inbox.path("anna/reports").c_str()), 0);
  EXPECT_THROW(write_report_files(inbox.root(), "anna", "a.csv", one_row()), FileRefused);
  EXPECT_TRUE(std::filesystem::is_empty(outside.root()));
}

TEST(WriteReportFiles, RefusesASymlinkedRepFolderAndBadRepNames) {
  TempInbox inbox;
  TempInbox outside;
  ASSERT_EQ(::symlink(outside.root().c_str(), inbox.path("mallory").c_str()), 0);
  EXPECT_THROW(write_report_files(inbox.root(), "mallory", "a.csv", one_row()), FileRefused);
  EXPECT_THROW(write_report_files(inbox.root(), "..", "a.csv", one_row()), FileRefused);
  EXPECT_THROW(write_report_files(inbox.root(), "anna/../..", "a.csv", one_row()), FileRefused);
  EXPECT_TRUE(std::filesystem::is_empty(outside.root()));
}

TEST(WriteFileAtomically, ReplacesASymlinkInsteadOfWritingThroughIt) {
  TempInbox inbox;
  TempInbox outside;
  outside.write("target.txt", "precious");
  std::filesystem::create_directories(inbox.path("dir"));
  ASSERT_EQ(::symlink(outside.path("target.txt").c_str(), inbox.path("dir/r.csv").c_str()), 0);
  const UniqueFd root = open_inbox_root(inbox.root());
  const UniqueFd dir = open_directory_beneath(root.get(), "dir");
  write_file_atomically(dir.get(), "r.csv", "report");
  EXPECT_EQ(outside.read("target.txt"), "precious");
  EXPECT_FALSE(std::filesystem::is_symlink(inbox.path("dir/r.csv")));
  EXPECT_EQ(inbox.read("dir/r.csv"), "report");
}

TEST(WriteFileAtomically, FailureLeavesNoTempFile) {
  TempInbox inbox;
  std::filesystem::create_directories(inbox.path("dir/r.csv"));  // a folder where the file goes
  const UniqueFd root = open_inbox_root(inbox.root());
  const UniqueFd dir = open_directory_beneath(root.get(), "dir");
  EXPECT_THROW(write_file_atomically(dir.get(), "r.csv", "report"), Error);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(inbox.path("dir"))) {
    ++entries;
  }
  EXPECT_EQ(entries, 1U);
}

}  // namespace
}  // namespace crmsync::folder
