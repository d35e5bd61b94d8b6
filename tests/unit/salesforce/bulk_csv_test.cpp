// The CSV Bulk API 2.0 result files are read with: quoted fields holding commas, newlines and
// doubled quotes, CRLF or LF line ends, a last row without its newline. The views handed out are
// into the document except where a field had to be unescaped.
#include "connectors/salesforce/bulk_csv.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(BulkCsv, ReadsWhatBulkResultFilesHold) {
  const std::string text =
      "\"sf__Id\",\"sf__Created\",FirstName,Description\n"
      "\"003A\",\"true\",\"Ann\",\"one, two\"\n"
      "\"003B\",\"false\",\"Bob\",\"says \"\"hi\"\"\nand leaves\"\n";
  EXPECT_EQ(parse_csv(text), (Rows{{"sf__Id", "sf__Created", "FirstName", "Description"},
                                   {"003A", "true", "Ann", "one, two"},
                                   {"003B", "false", "Bob", "says \"hi\"\nand leaves"}}));
}

TEST(BulkCsv, EmptyFieldsCrlfAndALastRowWithoutItsNewline) {
  EXPECT_EQ(parse_csv("a,,\"\"\r\nb,c"), (Rows{{"a", "", ""}, {"b", "c"}}));
  EXPECT_EQ(parse_csv("\n"), (Rows{{""}}));
  EXPECT_EQ(parse_csv(""), Rows{});
}

// Lenient as the hand-written reader it replaced: a stray CR is dropped, text after a closing
// quote joins the field, an unterminated quote runs to the end.
TEST(BulkCsv, MalformedInputIsReadLeniently) {
  EXPECT_EQ(parse_csv("ab\rcd,e\n"), (Rows{{"abcd", "e"}}));
  EXPECT_EQ(parse_csv("\"ab\"cd,e\n"), (Rows{{"abcd", "e"}}));
  EXPECT_EQ(parse_csv("x,\"open, never closed\n"), (Rows{{"x", "open, never closed\n"}}));
}

TEST(BulkCsv, FieldsAreViewsIntoTheDocumentUnlessUnescaped) {
  const std::string text = "\"003A\",\"a\"\"b\"\n";
  int rows = 0;
  for_each_csv_row(text, [&](std::span<const std::string_view> fields) {
    ++rows;
    ASSERT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[0], "003A");
    EXPECT_EQ(fields[0].data(), text.data() + 1) << "a plain quoted field is not copied";
    EXPECT_EQ(fields[1], "a\"b");
  });
  EXPECT_EQ(rows, 1);
}

}  // namespace
}  // namespace crmsync::salesforce
