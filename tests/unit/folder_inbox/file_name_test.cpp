#include "connectors/folder/inbox/file_name.hpp"

#include <gtest/gtest.h>

namespace crmsync::folder {
namespace {

TEST(EscapeForLog, KeepsPrintableUtf8) {
  EXPECT_EQ(escape_for_log("José Müller – Q3.xlsx"), "José Müller – Q3.xlsx");
}

TEST(EscapeForLog, EscapesControlCharactersAndNewlines) {
  // A newline in a file name would forge a second log line.
  EXPECT_EQ(escape_for_log("a\nWARN fake\r\x1b[31m.csv"), "a\\x0AWARN fake\\x0D\\x1B[31m.csv");
  EXPECT_EQ(escape_for_log(std::string_view("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(escape_for_log("del\x7f"), "del\\x7F");
}

TEST(EscapeForLog, EscapesInvalidUtf8ByteByByte) {
  EXPECT_EQ(escape_for_log("caf\xe9.csv"), "caf\\xE9.csv");       // Latin-1 é
  EXPECT_EQ(escape_for_log("\xc0\xaf"), "\\xC0\\xAF");            // overlong '/'
  EXPECT_EQ(escape_for_log("\xed\xa0\x80"), "\\xED\\xA0\\x80");   // UTF-16 surrogate
  EXPECT_EQ(escape_for_log("trunc\xe2\x82"), "trunc\\xE2\\x82");  // cut sequence
}

TEST(EscapeForLog, EscapesC1AndBidiControls) {
  EXPECT_EQ(escape_for_log("a\xc2\x85z"), "a\\u{0085}z");
  EXPECT_EQ(escape_for_log("invoice\xe2\x80\xaexslx.exe"), "invoice\\u{202E}xslx.exe");
}

TEST(EscapeForLog, EscapesBackslashSoEscapesAreUnambiguous) {
  EXPECT_EQ(escape_for_log("a\\x0A"), "a\\\\x0A");
}

TEST(IsValidUtf8, AcceptsAndRejects) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));   // emoji, 4 bytes
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xff"));
}

TEST(CheckFileName, AcceptsOrdinaryNames) {
  EXPECT_EQ(check_file_name("My Contacts (2).xlsx"), std::nullopt);
  EXPECT_EQ(check_file_name("anna.schmidt@acme.com"), std::nullopt);
}

TEST(CheckFileName, RefusesBadNamesWithAReason) {
  EXPECT_NE(check_file_name(""), std::nullopt);
  EXPECT_NE(check_file_name("caf\xe9.csv"), std::nullopt);
  EXPECT_NE(check_file_name("line\nbreak.csv"), std::nullopt);
  EXPECT_NE(check_file_name("tab\there.csv"), std::nullopt);
  EXPECT_NE(check_file_name("invoice\xe2\x80\xaexslx.csv"), std::nullopt);
}

}  // namespace
}  // namespace crmsync::folder
