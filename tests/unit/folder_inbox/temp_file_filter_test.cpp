#include "connectors/folder/inbox/temp_file_filter.hpp"

#include <gtest/gtest.h>

namespace crmsync::folder {
namespace {

TEST(TemporaryFileReason, SkipsOfficeLockFiles) {
  EXPECT_EQ(temporary_file_reason("~$My Contacts.xlsx"), "Excel lock file");
  EXPECT_EQ(temporary_file_reason(".~lock.My Contacts.xlsx#"), "LibreOffice lock file");
}

TEST(TemporaryFileReason, SkipsPartialTransfersCaseInsensitively) {
  for (const char* name : {"contacts.xlsx.crdownload", "contacts.csv.part", "x.TMP", "a.temp",
                           "b.csv.partial", "c.filepart", "d.download", "notes.csv~"}) {
    EXPECT_NE(temporary_file_reason(name), std::nullopt) << name;
  }
}

TEST(TemporaryFileReason, SkipsHiddenAndSystemFiles) {
  EXPECT_EQ(temporary_file_reason(".contacts.csv.Xy12ab"), "hidden file");  // rsync in flight
  EXPECT_EQ(temporary_file_reason(".DS_Store"), "hidden file");
  EXPECT_EQ(temporary_file_reason("Thumbs.db"), "Windows system file");
  EXPECT_EQ(temporary_file_reason("DESKTOP.INI"), "Windows system file");
}

TEST(TemporaryFileReason, KeepsRealInput) {
  for (const char* name : {"My Contacts.xlsx", "leads_export.csv", "contacts.vcf", "tmp.csv",
                           "partners.xlsx", "~notes.csv", "report.part1.csv"}) {
    EXPECT_EQ(temporary_file_reason(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace crmsync::folder
