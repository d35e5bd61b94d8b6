#include "connectors/folder/report/report_cell_text.hpp"

#include <gtest/gtest.h>

namespace crmsync::folder {
namespace {

TEST(NeutralizeFormula, PrefixesEveryFormulaTrigger) {
  EXPECT_EQ(neutralize_formula("=HYPERLINK(\"http://evil\",\"x\")"),
            "'=HYPERLINK(\"http://evil\",\"x\")");
  EXPECT_EQ(neutralize_formula("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
  EXPECT_EQ(neutralize_formula("-2+3"), "'-2+3");
  EXPECT_EQ(neutralize_formula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(neutralize_formula("\t=1"), "'\t=1");
  EXPECT_EQ(neutralize_formula("\r=1"), "'\r=1");
}

TEST(NeutralizeFormula, LeavesOrdinaryTextAlone) {
  EXPECT_EQ(neutralize_formula(""), "");
  EXPECT_EQ(neutralize_formula("Anna Schmidt"), "Anna Schmidt");
  EXPECT_EQ(neutralize_formula("a=b"), "a=b");
  EXPECT_EQ(neutralize_formula("(555) 123-4567"), "(555) 123-4567");
}

TEST(CleanCellText, ReplacesInvalidUtf8AndDropsXmlForbiddenCharacters) {
  EXPECT_EQ(clean_cell_text("Jos\xe9"), "Jos\xef\xbf\xbd");
  EXPECT_EQ(clean_cell_text(std::string_view("a\0b\x1b\x0b"
                                             "c",
                                             6)),
            "abc");
  EXPECT_EQ(clean_cell_text("tab\tlf\ncr\r"), "tab\tlf\ncr\r");
  EXPECT_EQ(clean_cell_text("x\xef\xbf\xbfy"), "xy");  // U+FFFF
  EXPECT_EQ(clean_cell_text("Müller 😀"), "Müller 😀");
  EXPECT_EQ(clean_cell_text("plain, \"quoted\" & <tagged> \x7f"),
            "plain, \"quoted\" & <tagged> \x7f");
}

TEST(CleanCellText, CutsAtExcelsCellLimit) {
  const std::string cleaned = clean_cell_text(std::string(40000, 'a'));
  EXPECT_EQ(cleaned.size(), 32766U + 3U);  // 32,766 letters and the 3-byte ellipsis
  EXPECT_TRUE(cleaned.ends_with("\xE2\x80\xA6"));
  EXPECT_EQ(clean_cell_text(std::string(32766, 'a')).size(), 32766U);
  // One past the limit: plain ASCII as well, and cut all the same.
  EXPECT_EQ(clean_cell_text(std::string(32767, 'a')).size(), 32766U + 3U);
}

TEST(SafeCellText, NeutralizesAfterCleaning) {
  // A NUL in front must not hide the formula from the check.
  EXPECT_EQ(safe_cell_text(std::string_view("\0=1+1", 5)), "'=1+1");
}

TEST(XmlEscape, EscapesMarkupAndKeepsCarriageReturns) {
  EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>\r"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;&#13;");
}

}  // namespace
}  // namespace crmsync::folder
