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

// Runs of plain text are copied whole, sixteen bytes looked at together: every byte value, at
// every place of a text of 40, is escaped as the rule for that one byte says, and decides alone
// whether the text is safe as it is.
TEST(XmlEscape, EveryByteIsEscapedWhereverItStands) {
  const auto escaped = [](unsigned char c) -> std::string {
    switch (c) {
      case '&':
        return "&amp;";
      case '<':
        return "&lt;";
      case '>':
        return "&gt;";
      case '"':
        return "&quot;";
      case '\'':
        return "&apos;";
      case '\r':
        return "&#13;";
      default:
        return std::string(1, static_cast<char>(c));
    }
  };
  for (int c = 0; c < 256; ++c)
    for (std::size_t at = 0; at < 40; ++at) {
      std::string text(40, 'a');
      text[at] = static_cast<char>(c);
      const auto byte = static_cast<unsigned char>(c);
      ASSERT_EQ(xml_escape(text), text.substr(0, at) + escaped(byte) + text.substr(at + 1))
          << "byte " << c << " at " << at;
      const bool allowed =
          byte < 0x80 && (byte >= 0x20 || byte == '\t' || byte == '\n' || byte == '\r');
      const bool formula = at == 0
                           && (byte == '=' || byte == '+' || byte == '-' || byte == '@'
                               || byte == '\t' || byte == '\r');
      ASSERT_EQ(is_safe_cell_text(text), allowed && !formula) << "byte " << c << " at " << at;
    }
}

}  // namespace
}  // namespace crmsync::folder
