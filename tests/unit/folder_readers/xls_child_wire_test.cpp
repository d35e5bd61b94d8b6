// The frames the libfreexl child sends back: what it writes reads back the same, and anything cut,
// out of range or trailing is refused, since a child a hostile file corrupted may send anything.
#include "connectors/folder/readers/xls_child_wire.hpp"

#include <gtest/gtest.h>

namespace crmsync::folder {
namespace {

TEST(XlsChildWire, SheetRowsAndEndRoundTrip) {
  XlsWireWriter out;
  out.sheet("Contacts");
  std::vector<Cell> cells(3);
  cells[0] = Cell{CellKind::text, "Ada", 0};
  cells[2] = Cell{CellKind::number, "42", 42};
  out.row(7, cells);
  out.finished();
  const auto result = decode_xls_wire(out.bytes(), "b.xls", 4096);
  EXPECT_TRUE(result.finished);
  EXPECT_FALSE(result.error);
  EXPECT_EQ(result.sheet, "Contacts");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].number, 7u);
  ASSERT_EQ(result.rows[0].cells.size(), 3u);
  EXPECT_EQ(result.rows[0].cells[0].text, "Ada");
  EXPECT_TRUE(result.rows[0].cells[1].empty());
  EXPECT_EQ(result.rows[0].cells[2].kind, CellKind::number);
  EXPECT_EQ(result.rows[0].cells[2].number, 42);
}

TEST(XlsChildWire, ChildErrorKeepsItsCategory) {
  XlsWireWriter out;
  out.error(ErrorCategory::input, "no sheet named 'X'");
  const auto result = decode_xls_wire(out.bytes(), "b.xls", 4096);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->category(), ErrorCategory::input);
  EXPECT_STREQ(result.error->what(), "no sheet named 'X'");
}

TEST(XlsChildWire, TruncatedOrOutOfRangeOutputIsMalformed) {
  XlsWireWriter out;
  out.sheet("S");
  out.row(1, std::vector<Cell>(10, Cell{CellKind::text, "t", 0}));
  out.finished();
  const std::string whole = out.bytes();
  const auto malformed = [](std::string_view bytes, std::uint32_t max_columns) {
    try {
      decode_xls_wire(bytes, "b.xls", max_columns);
    } catch (const Error& e) {
      return std::string(e.what()).find("malformed output") != std::string::npos;
    }
    return false;
  };
  EXPECT_FALSE(malformed(whole, 4096));
  for (std::size_t cut = 1; cut < whole.size(); ++cut) {
    // A cut between frames (after the 6-byte sheet frame, before the 5-byte end frame) leaves
    // well-formed frames of an unfinished read, which read_xls refuses for the missing end.
    if (cut == 6 || cut == whole.size() - 5) continue;
    EXPECT_TRUE(malformed(whole.substr(0, cut), 4096)) << cut;
  }
  EXPECT_TRUE(malformed(whole, 5));                           // a column beyond the reader's cap
  EXPECT_TRUE(malformed(whole + whole, 4096));                // anything after the end
  EXPECT_TRUE(malformed(std::string("Z\0\0\0\0", 5), 4096));  // an unknown frame
}

}  // namespace
}  // namespace crmsync::folder
