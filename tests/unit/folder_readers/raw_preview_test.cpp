#include "connectors/folder/readers/raw_preview.hpp"

#include <gtest/gtest.h>

#include "connectors/folder/readers/read_file.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

TEST(RawPreview, JsonShowsFormatHeaderRowsCellsAndErrors) {
  testing::TempDir dir;
  const auto path = dir.write("leads.csv",
                              "Leads export\r\nName;Name;Note\r\nZoë;Z;\"say \"\"hi\"\"\"\r\n"
                              "Bad;\"open\r\n");
  const RawPreview preview = raw_preview(path, {});
  EXPECT_EQ(
      render_json(preview),
      "{\"file\":\"leads.csv\",\"format\":\"csv\",\"encoding\":\"UTF-8\",\"delimiter\":\";\","
      "\"sheets\":[],\"tables\":[{\"sheet\":\"\",\"header_row\":2,\"columns\":[\"Name\","
      "\"Name\",\"Note\"],\"rows\":[{\"row\":3,\"cells\":{\"Name\":\"Zoë\",\"Name (2)\":\"Z\","
      "\"Note\":\"say \\\"hi\\\"\"}}],\"errors\":[{\"row\":4,\"column\":2,\"reason\":\"a "
      "quoted field opens here and never closes\"}]}],\"truncated\":false}");
}

TEST(RawPreview, TextShowsRowsByColumnAndMaxRowsTruncates) {
  testing::TempDir dir;
  const auto path = dir.write("c.csv", "First\tLast\nAnn\tLee\nBob\tRay\n");
  const RawPreview preview = raw_preview(path, {}, 1);
  EXPECT_TRUE(preview.truncated);
  EXPECT_EQ(render_text(preview),
            "file:      c.csv\nformat:    csv\nencoding:  UTF-8\ndelimiter: \\t\n\n"
            "header row 1: First | Last\nrow 2:\n  First: \"Ann\"\n  Last: \"Lee\"\n"
            "(more rows not shown)\n");
}

TEST(RawPreview, XlsxListsEverySheetWithHiddenState) {
  testing::TempDir dir;
  const auto path = dir.path() / "b.xlsx";
  const std::string rows = "<row r=\"1\"><c t=\"inlineStr\"><is><t>Name</t></is></c></row>";
  testing::write_zip(path, testing::xlsx_entries({{"A", rows, "", false}, {"B", rows, "", true}}));
  const std::string json = render_json(raw_preview(path, {}));
  EXPECT_NE(
      json.find("\"sheets\":[{\"name\":\"A\",\"hidden\":false},{\"name\":\"B\",\"hidden\":true}]"),
      std::string::npos)
      << json;
}

TEST(RawPreview, JsonStringEscapesControlCharacters) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01\x7F é"), "\"a\\\"b\\\\c\\n\\u0001\\u007f é\"");
}

TEST(FormatDetection, MagicBytesBeforeExtension) {
  EXPECT_EQ(detect_format("PK\x03\x04", "x.csv"), FileFormat::xlsx);
  EXPECT_EQ(detect_format("\xEF\xBB\xBF"
                          "BEGIN:VCARD",
                          "x.txt"),
            FileFormat::vcard);
  EXPECT_EQ(detect_format("a,b", "x.TXT"), FileFormat::csv);
  EXPECT_EQ(detect_format("a,b", "x.vcf"), FileFormat::vcard);
  EXPECT_EQ(detect_format("a,b", "x.doc"), FileFormat::unknown);
}

}  // namespace
}  // namespace crmsync::folder
