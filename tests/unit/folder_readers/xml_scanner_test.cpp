// The hand-rolled worksheet scanner against expat: the same events for every document expat reads,
// in every chunking, and a refusal for each malformation expat refuses that matters.
#include "connectors/folder/readers/xml_scanner.hpp"

#include <gtest/gtest.h>

#include "tests/fuzz/folder_readers/xml_event_log.hpp"

namespace crmsync::folder {
namespace {

using fuzzing::parse_xml;

void expect_same_as_expat(const std::string& document) {
  const auto expat = parse_xml<XmlStream>(document, document.size());
  ASSERT_TRUE(expat.ok) << expat.error;
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                                  std::size_t{64}, document.size()}) {
    const auto scanner = parse_xml<XmlScanner>(document, chunk);
    EXPECT_TRUE(scanner.ok) << scanner.error << " (chunk " << chunk << ")";
    EXPECT_EQ(scanner.events, expat.events) << "chunk " << chunk;
  }
}

void expect_refused(const std::string& document, const std::string& needle) {
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{5}, document.size()}) {
    const auto scanner = parse_xml<XmlScanner>(document, chunk);
    EXPECT_FALSE(scanner.ok) << document;
    EXPECT_NE(scanner.error.find(needle), std::string::npos) << scanner.error;
  }
  EXPECT_FALSE(parse_xml<XmlStream>(document, document.size()).ok) << "expat reads " << document;
}

TEST(XmlScanner, ExcelSheetGivesExpatsEvents) {
  expect_same_as_expat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
      "<dimension ref=\"A1:C2\"/><sheetData><row r=\"1\" spans=\"1:3\">"
      "<c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>45292.75</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> Zoë &amp; Ray </t></is></c>"
      "</row><row r=\"2\"><c r=\"A2\" t=\"str\"><f>A1&amp;\"!\"</f><v>x&lt;y&gt;z</v></c></row>"
      "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>");
}

TEST(XmlScanner, PrefixesQuotesSpacesAndGreaterThanInValues) {
  expect_same_as_expat(
      "<x:worksheet xmlns:x='urn:x'><x:sheetData><x:row r = '3' ><x:c r=\"A3\" t='s' "
      "note=\"a > b\"\n  other='it&apos;s \"q\"'><x:v>7</x:v></x:c></x:row>"
      "</x:sheetData  ></x:worksheet>");
}

TEST(XmlScanner, EntitiesCharacterReferencesCdataCommentsAndLineEnds) {
  expect_same_as_expat(
      "\xEF\xBB\xBF<root a=\"tab\there\r\nnext&#10;kept\"><!-- a comment <c> -->"
      "<?pi data?><t>&#233;&#xE9;&#x1F600;&quot;&apos;</t><t><![CDATA[<b>&amp;</b>\r\n]]></t>"
      "<t>line\r\nbreak\rcr</t><e/><e /></root>\n<!-- after -->\n");
}

// XmlStream's expat is told the input is UTF-8, so a part in another encoding is refused there;
// the scanner hands such parts to expat whole and so gives the same verdict.
TEST(XmlScanner, OtherEncodingsGetExpatsVerdict) {
  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string("<root><t>hi</t></root>"))
    utf16 += std::string{c, '\0'};
  for (const std::string& document :
       {std::string("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><root><t>Ren\xE9"
                    "e</t></root>"),
        utf16}) {
    const auto expat = parse_xml<XmlStream>(document, document.size());
    const auto scanner = parse_xml<XmlScanner>(document, 3);
    EXPECT_EQ(scanner.ok, expat.ok);
    EXPECT_EQ(scanner.error, expat.error);
    EXPECT_EQ(scanner.events, expat.events);
  }
}

TEST(XmlScanner, RefusesWhatExpatRefuses) {
  expect_refused("<worksheet><sheetData><row><c><v>1</v></row>", "damaged");
  expect_refused("<worksheet><sheetData>", "damaged");
  expect_refused("<a><b></a></b>", "mismatched");
  expect_refused("<a>&lol;</a>", "undefined entity");
  expect_refused("<a>&#0;</a>", "undefined entity");
  expect_refused("<a>fish & chips</a>", "damaged");
  expect_refused("<a>bad \xFF byte</a>", "invalid UTF-8");
  expect_refused("<a>bell \x07</a>", "control character");
  expect_refused("<a/><b/>", "junk after document element");
  expect_refused("text<a/>", "outside the root");
  expect_refused("<a x=\"1\"y=\"2\"/>", "damaged");
  expect_refused("<a x=1/>", "unquoted");
  expect_refused("<a x=\"<\"/>", "damaged");
  expect_refused("", "no element found");
  expect_refused("<!DOCTYPE a [<!ENTITY e \"e\">]><a>&e;</a>", "DOCTYPE");
}

TEST(XmlScanner, StopEndsTheStreamWithoutAnError) {
  struct StopAtSecond final : XmlHandler {
    XmlScanner* scanner = nullptr;
    int rows = 0;
    void start(std::string_view name, const char**) override {
      if (name == "row" && ++rows == 2) scanner->stop();
    }
    void end(std::string_view) override {}
  } handler;
  XmlScanner scanner(handler, "sheet.xml");
  handler.scanner = &scanner;
  scanner.feed("<s><row/><row/><row/><row", false);
  EXPECT_TRUE(scanner.stopped());
  EXPECT_EQ(handler.rows, 2);
  scanner.feed("broken", true);  // ignored once stopped
}

}  // namespace
}  // namespace crmsync::folder
