#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "connectors/folder/report/report_csv_writer.hpp"
#include "connectors/folder/report/report_xlsx_writer.hpp"
#include "core/text/csv_field.hpp"
#include "tests/unit/folder_inbox/temp_inbox.hpp"
#include "tests/unit/folder_inbox/xlsx_test_reader.hpp"

namespace crmsync::folder {
namespace {

std::vector<ReportRow> sample_rows() {
  return {
      {4, "Contacts", ReportStatus::created, "003000000000001AAA", "Anna Schmidt",
       "anna@example.com", ""},
      {5, "Contacts", ReportStatus::rejected, "", "=HYPERLINK(\"http://x\")", "not-an-email",
       "the email \"not-an-email\" is not valid, <fix> & drop again"},
      {6, "", ReportStatus::needs_review, "", "Jos\xe9 \x01M\xc3\xbcller", "",
       "two possible matches:\nBob Jones, Robert Jones"},
  };
}

TEST(ReportStatusText, IsPlainWords) {
  EXPECT_EQ(to_string(ReportStatus::needs_review), "needs review");
  EXPECT_EQ(to_string(ReportStatus::created), "created");
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field(""), "");
}

TEST(RenderReportCsv, HasBomCrlfHeaderAndOneLinePerRow) {
  const std::string csv = render_report_csv(sample_rows());
  ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  EXPECT_EQ(csv.substr(3, csv.find("\r\n") - 3),
            "Row,Sheet,Status,CRM record id,Name,Email,Reason");
  EXPECT_NE(csv.find("\r\n4,Contacts,created,003000000000001AAA,Anna Schmidt,anna@example.com,"
                     "\r\n"),
            std::string::npos);
  // No bare LF outside quoted fields: every line ends in CRLF.
  EXPECT_TRUE(csv.ends_with("\r\n"));
}

TEST(RenderReportCsv, NeutralizesFormulasAndQuotes) {
  const std::string csv = render_report_csv(sample_rows());
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"the email \"\"not-an-email\"\" is not valid, <fix> & drop again\""),
            std::string::npos);
}

TEST(RenderReportCsv, CleansInvalidBytesAndControls) {
  const std::string csv = render_report_csv(sample_rows());
  EXPECT_NE(csv.find("Jos\xef\xbf\xbd M\xc3\xbcller"), std::string::npos);
  EXPECT_EQ(csv.find('\x01'), std::string::npos);
}

TEST(RenderReportXlsx, IsAZipWithTheMinimalPackageParts) {
  const testing::XlsxPackage package(render_report_xlsx(sample_rows()));
  const auto names = package.names();
  for (const char* part :
       {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
        "xl/styles.xml", "xl/worksheets/sheet1.xml"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), part), names.end()) << part;
    std::string error;
    EXPECT_TRUE(testing::well_formed_xml(package.read(part), &error)) << part << ": " << error;
  }
}

TEST(RenderReportXlsx, CellsReadBackAsWritten) {
  const testing::XlsxPackage package(render_report_xlsx(sample_rows()));
  const auto cells = testing::read_sheet_cells(package.read("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.at("A1").text, "Row");
  EXPECT_EQ(cells.at("A1").style, "1");  // bold header
  EXPECT_EQ(cells.at("G1").text, "Reason");
  EXPECT_EQ(cells.at("A2").text, "4");
  EXPECT_EQ(cells.at("A2").type, "");  // a number, so the rep can sort by it
  EXPECT_EQ(cells.at("C2").text, "created");
  EXPECT_EQ(cells.at("D2").text, "003000000000001AAA");
  EXPECT_EQ(cells.at("E3").type, "inlineStr");
  EXPECT_EQ(cells.at("E3").text, "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(cells.at("G3").text, "the email \"not-an-email\" is not valid, <fix> & drop again");
  EXPECT_EQ(cells.at("C4").text, "needs review");
  EXPECT_EQ(cells.at("E4").text, "Jos\xef\xbf\xbd M\xc3\xbcller");
  EXPECT_EQ(cells.at("G4").text, "two possible matches:\nBob Jones, Robert Jones");
  EXPECT_FALSE(cells.contains("B4"));  // empty sheet: no cell
}

// Whitespace a spreadsheet would trim or fold is marked to be kept; other cells are not marked
// (the mark on every cell was a fifth of a large sheet).
TEST(RenderReportXlsx, OnlyCellsWithSignificantWhitespaceAreMarkedToKeepIt) {
  std::vector<ReportRow> rows(4);
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i].row = static_cast<std::uint32_t>(i + 2);
  rows[0].reason = "plain words";
  rows[1].reason = " leading and trailing ";
  rows[2].reason = "two  spaces";
  rows[3].reason = "a\ttab & <more>";
  const testing::XlsxPackage package(render_report_xlsx(rows));
  const std::string sheet = package.read("xl/worksheets/sheet1.xml");
  const auto cells = testing::read_sheet_cells(sheet);
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(cells.at("G" + std::to_string(i + 2)).text, rows[i].reason);
  EXPECT_NE(sheet.find("<c r=\"G2\" t=\"inlineStr\"><is><t>plain words</t>"), std::string::npos);
  for (const char* kept : {"G3", "G4", "G5"})
    EXPECT_NE(sheet.find(std::string("<c r=\"") + kept
                         + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"),
              std::string::npos)
        << kept;
}

TEST(RenderReportXlsx, ControlCharactersNeverBreakTheXml) {
  std::vector<ReportRow> rows(1);
  rows[0].row = 2;
  using namespace std::string_literals;
  rows[0].reason = "nul\0esc\x1b vt\x0b ff\x0c"s;
  const testing::XlsxPackage package(render_report_xlsx(rows));
  const std::string sheet = package.read("xl/worksheets/sheet1.xml");
  std::string error;
  ASSERT_TRUE(testing::well_formed_xml(sheet, &error)) << error;
  EXPECT_EQ(testing::read_sheet_cells(sheet).at("G2").text, "nulesc vt ff");
}

TEST(RenderReportXlsx, EmptyReportStillOpens) {
  const testing::XlsxPackage package(render_report_xlsx({}));
  const auto cells = testing::read_sheet_cells(package.read("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.size(), 7U);
}

TEST(RenderReportXlsx, PassesUnzipIntegrityTestWhenAvailable) {
  if (std::system("command -v unzip >/dev/null 2>&1") != 0) GTEST_SKIP() << "no unzip";
  testing::TempInbox dir;
  const auto path = dir.write("r.xlsx", render_report_xlsx(sample_rows()));
  EXPECT_EQ(std::system(("unzip -tq '" + path.string() + "' >/dev/null").c_str()), 0);
}

TEST(XlsxColumnName, CountsLikeSpreadsheets) {
  EXPECT_EQ(xlsx_column_name(0), "A");
  EXPECT_EQ(xlsx_column_name(6), "G");
  EXPECT_EQ(xlsx_column_name(25), "Z");
  EXPECT_EQ(xlsx_column_name(26), "AA");
  EXPECT_EQ(xlsx_column_name(701), "ZZ");
  EXPECT_EQ(xlsx_column_name(702), "AAA");
}

}  // namespace
}  // namespace crmsync::folder

namespace crmsync::folder {
namespace {

// A large report's sheet is written and deflated in pieces: every row reads back, in order, across
// the joins.
TEST(RenderReportXlsx, ALargeSheetReadsBackWhole) {
  std::vector<ReportRow> rows(20000);
  for (std::uint32_t i = 0; i < rows.size(); ++i) {
    rows[i].row = i + 2;
    rows[i].status = ReportStatus::created;
    rows[i].name = "Person " + std::to_string(i);
    rows[i].email = "person." + std::to_string(i) + "@example.com";
  }
  const testing::XlsxPackage package(render_report_xlsx(rows));
  const auto sheet = package.read("xl/worksheets/sheet1.xml");
  ASSERT_GT(sheet.size(), 4u << 20);  // several of the writer's pieces
  const auto cells = testing::read_sheet_cells(sheet);
  for (std::uint32_t i = 0; i < rows.size(); i += 997) {
    const auto r = std::to_string(i + 2);
    EXPECT_EQ(cells.at("A" + r).text, r);
    EXPECT_EQ(cells.at("E" + r).text, rows[i].name);
    EXPECT_EQ(cells.at("F" + r).text, rows[i].email);
  }
  EXPECT_EQ(cells.at("F20001").text, "person.19999@example.com");
  EXPECT_FALSE(cells.contains("A20002"));
}

TEST(RenderReportXlsx, RowsBeyondTheSheetLimitPointToTheCsv) {
  std::vector<ReportRow> rows(5);
  for (std::uint32_t i = 0; i < rows.size(); ++i)
    rows[i].row = i + 2;
  const testing::XlsxPackage package(render_report_xlsx(rows, 3));
  const auto cells = testing::read_sheet_cells(package.read("xl/worksheets/sheet1.xml"));
  EXPECT_EQ(cells.at("A2").text, "2");
  EXPECT_EQ(cells.at("A3").text, "3");
  EXPECT_FALSE(cells.contains("A4"));
  EXPECT_TRUE(cells.at("G4").text.starts_with("3 more rows do not fit")) << cells.at("G4").text;
  EXPECT_FALSE(cells.contains("A5"));
}

}  // namespace
}  // namespace crmsync::folder
