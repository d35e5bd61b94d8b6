#include "connectors/folder/readers/xlsx_reader.hpp"

#include <gtest/gtest.h>

#include "connectors/folder/readers/number_format.hpp"
#include "core/error.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::CollectingSink;
using testing::xlsx_entries;

// Style 0 general, 1 built-in date (14), 2 custom "dd/mm/yyyy hh:mm", 3 custom text-ish "0.00".
const std::string kStyles =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy hh:mm\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[Red]0.00;&quot;neg&quot;\"/></numFmts>"
    "<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/></cellXfs></styleSheet>";

const std::string kShared =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>Name</t></si><si><t>Phone</t></si>"
    "<si><r><t>Zo</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">ë Ray</t></r>"
    "<rPh><t>ゾエ</t></rPh></si></sst>";

CollectingSink read(const std::map<std::string, std::string>& entries, ReadOptions options = {}) {
  testing::TempDir dir;
  const auto path = dir.path() / "book.xlsx";
  testing::write_zip(path, entries);
  CollectingSink sink;
  read_xlsx(path, options, sink);
  return sink;
}

TEST(XlsxReader, CellTypesFromSharedInlineBooleanErrorFormulaAndDates) {
  const std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>When</t></is></c><c r=\"D1\" "
      "t=\"inlineStr\"><is><t>Ok</t></is></c>"
      "<c r=\"E1\" t=\"inlineStr\"><is><t>Calc</t></is></c><c r=\"F1\" "
      "t=\"inlineStr\"><is><t>Amt</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>4155550123</v></c>"
      "<c r=\"C2\" s=\"1\"><v>45292</v></c><c r=\"D2\" t=\"b\"><v>1</v></c>"
      "<c r=\"E2\" t=\"str\"><f>A2&amp;\"!\"</f><v>Zoë Ray!</v></c><c r=\"F2\" "
      "s=\"3\"><v>1.5</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>Al</t></is></c><c r=\"B3\"><v>1E+20</v></c>"
      "<c r=\"C3\" s=\"2\"><v>45292.75</v></c><c r=\"D3\" t=\"e\"><v>#N/A</v></c>"
      "<c r=\"E3\"><f>B3*2</f><v>12</v></c></row>";
  const auto sink = read(xlsx_entries({{"People", rows, "", false}}, kStyles, kShared));
  ASSERT_EQ(sink.records.size(), 2u);
  const Record& r2 = sink.records[0];
  EXPECT_EQ(r2.cells[0].text, "Zoë Ray");  // rich runs joined, phonetic left out
  EXPECT_EQ(r2.cells[1].text, "4155550123");
  EXPECT_EQ(r2.cells[1].kind, CellKind::number);
  EXPECT_EQ(r2.cells[2].text, "2024-01-01");
  EXPECT_EQ(r2.cells[2].kind, CellKind::date);
  EXPECT_EQ(r2.cells[3].text, "TRUE");
  EXPECT_EQ(r2.cells[4].text, "Zoë Ray!");
  EXPECT_EQ(r2.cells[5].text, "1.5");
  const Record& r3 = sink.records[1];
  EXPECT_EQ(r3.cells[1].text, "100000000000000000000");
  EXPECT_EQ(r3.cells[2].text, "2024-01-01T18:00:00");
  EXPECT_EQ(r3.cells[3].kind, CellKind::error);
  EXPECT_EQ(r3.cells[3].text, "#N/A");
  EXPECT_EQ(r3.cells[4].text, "12");
}

TEST(XlsxReader, Date1904System) {
  const std::string rows =
      "<row r=\"1\"><c t=\"inlineStr\"><is><t>Name</t></is></c><c "
      "t=\"inlineStr\"><is><t>Since</t></is></c></row>"
      "<row r=\"2\"><c t=\"inlineStr\"><is><t>Al</t></is></c><c s=\"1\"><v>0</v></c></row>";
  const auto sink = read(xlsx_entries({{"S", rows, "", false}}, kStyles, "", true));
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(sink.records[0].cells[1].text, "1904-01-01");
}

TEST(XlsxReader, MergedCellsGiveTheirValueToEveryRowOfTheRange) {
  const std::string rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Company</t></is></c><c r=\"B1\" "
      "t=\"inlineStr\"><is><t>Name</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Acme</t></is></c><c r=\"B2\" "
      "t=\"inlineStr\"><is><t>Ann</t></is></c></row>"
      "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>Bob</t></is></c></row>"
      "<row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>Cid</t></is></c></row>"
      "<row r=\"5\"><c r=\"B5\" t=\"inlineStr\"><is><t>Dee</t></is></c></row>";
  const auto sink = read(xlsx_entries(
      {{"S", rows, "<mergeCells count=\"1\"><mergeCell ref=\"A2:A4\"/></mergeCells>", false}}));
  ASSERT_EQ(sink.records.size(), 4u);
  EXPECT_EQ(sink.records[1].cells[0].text, "Acme");
  EXPECT_EQ(sink.records[2].cells[0].text, "Acme");
  EXPECT_TRUE(sink.records[3].cells[0].empty());  // row 5 is outside the range
}

// A sheet's <dimension> says how many rows follow, for the sink to make room for them; one that
// claims more rows than its sheet can hold (a hostile file's million) is believed only that far.
TEST(XlsxReader, TheSheetsDimensionHintsHowManyRowsFollowAsFarAsItsSizeAllows) {
  std::string rows;
  for (int r = 1; r <= 3; ++r)
    rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r)
            + "\" t=\"inlineStr\"><is><t>Name" + std::to_string(r) + "</t></is></c></row>";
  const auto with_dimension = [&](const std::string& ref) {
    auto entries = xlsx_entries({{"S", rows, "", false}});
    auto& sheet = entries.at("xl/worksheets/sheet1.xml");
    const auto data = sheet.find("<sheetData");
    if (!ref.empty()) sheet.insert(data, "<dimension ref=\"" + ref + "\"/>");
    return entries;
  };
  auto sink = read(with_dimension("A1:A3"));
  ASSERT_EQ(sink.tables.size(), 1u);
  EXPECT_EQ(sink.tables[0].rows_hint, 3u);
  EXPECT_EQ(sink.records.size(), 2u);

  const auto entries = with_dimension("A1:XFD1048576");
  const auto sheet_bytes = entries.at("xl/worksheets/sheet1.xml").size();
  sink = read(entries);
  ASSERT_EQ(sink.tables.size(), 1u);
  EXPECT_GT(sink.tables[0].rows_hint, 0u);
  EXPECT_LE(sink.tables[0].rows_hint, sheet_bytes / 24);
  EXPECT_EQ(sink.records.size(), 2u);

  sink = read(with_dimension(""));
  ASSERT_EQ(sink.tables.size(), 1u);
  EXPECT_EQ(sink.tables[0].rows_hint, 0u) << "no <dimension>, no hint";
}

TEST(XlsxReader, SheetByNameByHintAndNeverHiddenByDefault) {
  const std::string deals =
      "<row r=\"1\"><c t=\"inlineStr\"><is><t>Deal</t></is></c><c "
      "t=\"inlineStr\"><is><t>Amount</t></is></c></row>"
      "<row r=\"2\"><c t=\"inlineStr\"><is><t>X</t></is></c><c><v>5</v></c></row>";
  const std::string people =
      "<row r=\"1\"><c t=\"inlineStr\"><is><t>Email</t></is></c><c "
      "t=\"inlineStr\"><is><t>Phone</t></is></c></row>"
      "<row r=\"2\"><c t=\"inlineStr\"><is><t>a@x</t></is></c></row>";
  const std::string secret =
      "<row r=\"1\"><c t=\"inlineStr\"><is><t>Email</t></is></c><c "
      "t=\"inlineStr\"><is><t>Phone</t></is></c>"
      "<c t=\"inlineStr\"><is><t>Company</t></is></c></row>";
  const auto entries = xlsx_entries(
      {{"Deals", deals, "", false}, {"People", people, "", false}, {"Secret", secret, "", true}});
  ReadOptions hinted;
  hinted.header_hint = testing::contact_hint();
  EXPECT_EQ(read(entries, hinted).tables[0].sheet, "People");
  EXPECT_EQ(read(entries).tables[0].sheet, "Deals");
  ReadOptions named;
  named.sheet = "secret";
  EXPECT_EQ(read(entries, named).tables[0].sheet, "Secret");
  named.sheet = "Nope";
  try {
    read(entries, named);
    FAIL() << "a missing sheet must be an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::input);
    EXPECT_NE(std::string(e.what()).find("'Deals', 'People', 'Secret'"), std::string::npos);
  }
}

TEST(NumberFormat, DisplaysPhonesAndIdsWithoutExponentOrPointZero) {
  EXPECT_EQ(display_number(7492439303.0), "7492439303");
  EXPECT_EQ(display_number(-3), "-3");
  EXPECT_EQ(display_number(0.1), "0.1");
  EXPECT_EQ(display_number(1.25e-7), "0.000000125");
}

TEST(NumberFormat, SerialDatesKeepExcelsLeapYearBug) {
  EXPECT_EQ(serial_to_iso(1, false), "1900-01-01");
  EXPECT_EQ(serial_to_iso(59, false), "1900-02-28");
  EXPECT_EQ(serial_to_iso(60, false), "1900-02-29");
  EXPECT_EQ(serial_to_iso(61, false), "1900-03-01");
  EXPECT_EQ(serial_to_iso(1462, true), "1908-01-02");
}

TEST(NumberFormat, RecognisesDateFormats) {
  EXPECT_TRUE(is_date_format(14, ""));
  EXPECT_TRUE(is_date_format(165, "mm/dd/yyyy"));
  EXPECT_TRUE(is_date_format(166, "[$-409]d-mmm-yy;@"));
  EXPECT_TRUE(is_date_format(167, "[h]:mm"));
  EXPECT_FALSE(is_date_format(0, ""));
  EXPECT_FALSE(is_date_format(168, "[Red]0.00"));
  EXPECT_FALSE(is_date_format(169, "\"days\" 0"));
  EXPECT_FALSE(is_date_format(170, "#,##0_);(#,##0)"));
}

}  // namespace
}  // namespace crmsync::folder
