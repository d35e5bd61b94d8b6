#include "connectors/folder/readers/csv_reader.hpp"

#include <gtest/gtest.h>

#include "connectors/folder/readers/csv_parser.hpp"
#include "connectors/folder/readers/delimiter_sniffer.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::CollectingSink;

CollectingSink read_text(std::string_view bytes, ReadOptions options = {}) {
  MemoryByteSource source(bytes);
  CollectingSink sink;
  read_csv(source, "t.csv", options, sink);
  return sink;
}

// Hands out one byte per read, so every chunk boundary case is hit.
class TrickleSource final : public ByteSource {
 public:
  explicit TrickleSource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(std::span<char> buffer) override {
    if (bytes_.empty() || buffer.empty()) return 0;
    buffer[0] = bytes_[0];
    bytes_.remove_prefix(1);
    return 1;
  }

 private:
  std::string_view bytes_;
};

TEST(CsvReader, QuotedNewlinesDoubledQuotesAndMixedLineEnds) {
  const auto sink = read_text(
      "Name,Note\r\n\"Smith, Jo\",\"said \"\"hi\"\"\r\nthen left\"\r\nAnn,plain\rBob,last\n");
  ASSERT_EQ(sink.records.size(), 3u);
  EXPECT_EQ(sink.records[0].from.row, 2u);
  EXPECT_EQ(sink.records[0].cells[0].text, "Smith, Jo");
  EXPECT_EQ(sink.records[0].cells[1].text, "said \"hi\"\r\nthen left");
  EXPECT_EQ(sink.records[1].from.row, 3u);
  EXPECT_EQ(sink.records[1].cells[1].text, "plain");
  EXPECT_EQ(sink.records[2].from.row, 4u);
  EXPECT_EQ(sink.records[2].cells[0].text, "Bob");
}

TEST(CsvReader, RaggedRowsAndTrailingEmptyColumns) {
  const auto sink = read_text("A,B,C,,\n1\n1,2,3,4,5\n,,,,\n7,8,,,\n");
  ASSERT_EQ(sink.headers[0]->columns, (std::vector<std::string>{"A", "B", "C"}));
  ASSERT_EQ(sink.records.size(), 3u);  // the all-empty row 4 is not a record
  EXPECT_EQ(sink.records[0].cells.size(), 1u);
  EXPECT_EQ(sink.records[1].cells.size(), 5u);  // extra cells are kept past the header
  EXPECT_EQ(sink.records[2].from.row, 5u);
  EXPECT_EQ(sink.records[2].cells.size(), 2u);
}

TEST(CsvReader, ExcelSepLineSetsDelimiterAndIsNotARow) {
  const auto sink = read_text("sep=|\r\nFirst|Last\r\nAnn|Lee, Jr\r\n");
  EXPECT_EQ(sink.tables[0].delimiter, "|");
  EXPECT_EQ(sink.headers[0]->row, 1u);
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(sink.records[0].from.row, 2u);
  EXPECT_EQ(sink.records[0].cells[1].text, "Lee, Jr");
}

TEST(CsvReader, SniffsSemicolonsTabsAndPipesOverCommasInText) {
  EXPECT_EQ(sniff_delimiter("a;b;c\n1,5;2;x, y\n3;4;5\n").delimiter, ';');
  EXPECT_EQ(sniff_delimiter("a\tb\tc\n1\t2,5\t3\n").delimiter, '\t');
  EXPECT_EQ(sniff_delimiter("a|b\n1|2\n").delimiter, '|');
  EXPECT_EQ(sniff_delimiter("\"x;y\",b,c\n1,2,3\n").delimiter, ',');
}

TEST(CsvReader, HeaderSkipsTitleBlankAndNoteRowsWithoutHint) {
  const auto sink = read_text("Bob's leads (Oct)\n\nFirst,Last,Email\nAnn,Lee,a@x.com\n");
  EXPECT_EQ(sink.headers[0]->row, 3u);
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(sink.records[0].from.row, 4u);
}

TEST(CsvReader, HintPicksTheRowNamingKnownColumns) {
  ReadOptions options;
  options.header_hint = testing::contact_hint();
  // The first dense row is a legend; the hint knows the real header.
  const auto sink =
      read_text("Key,Meaning,Since\nx,y,z\nFirst Name,E-mail,Company\nAnn,a@x,Acme\n", options);
  EXPECT_EQ(sink.headers[0]->row, 3u);
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(CollectingSink::cell(sink.records[0], "E-mail"), "a@x");
}

TEST(CsvReader, UnterminatedQuoteIsOneBrokenRowAndTheRestGoesOn) {
  const auto sink = read_text("A,B\n1,\"broken\n2,x\n3,y\n");
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].from.row, 2u);
  EXPECT_EQ(sink.errors[0].column, 2u);
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[0].from.row, 3u);
  EXPECT_EQ(sink.records[1].cells[1].text, "y");
}

TEST(CsvReader, TooManyColumnsIsARowError) {
  ReadOptions options;
  options.limits.max_columns = 3;
  const auto sink = read_text("A,B,C\n1,2,3,4\n5,6\n", options);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].from.row, 2u);
  EXPECT_EQ(sink.records.size(), 1u);
}

TEST(CsvReader, ChunkBoundariesAnywhereGiveTheSameResult) {
  const std::string text = "\xEF\xBB\xBFNom;Note\r\n\"Zoë\";\"a\"\"b\r\nc\"\r\nRenée;€ 5\r\n";
  MemoryByteSource whole(text);
  TrickleSource trickle(text);
  CollectingSink a, b;
  read_csv(whole, "t.csv", {}, a);
  read_csv(trickle, "t.csv", {}, b);
  ASSERT_EQ(a.records.size(), 2u);
  ASSERT_EQ(b.records.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.records[i].from.row, b.records[i].from.row);
    for (std::size_t c = 0; c < 2; ++c)
      EXPECT_EQ(a.records[i].cells[c].text, b.records[i].cells[c].text);
  }
  EXPECT_EQ(b.records[0].cells[1].text, "a\"b\r\nc");
  EXPECT_EQ(b.records[1].cells[1].text, "€ 5");
}

// The parser builds a field's cell in place when the field ends inside the chunk, and through its
// carry buffer when it does not: every split of the text must give the same rows.
TEST(CsvParser, EverySplitOfTheTextGivesTheSameRows) {
  const std::string text =
      "Name,Phone,Note\r\nZo\xC3\xAB,+1 415 555 0123,\"a, \"\"b\"\"\r\nc\"\nRen\xC3\xA9"
      "e,,\"x\"tail\r,,\r\n\"\",0049 30 1234567,a very long note that spans well over sixteen "
      "bytes\n";
  auto parse = [&](std::size_t split_every) {
    std::vector<CsvRow> rows;
    CsvParser parser(',', 1u << 20, 100, [&](CsvRow&& row) { rows.push_back(std::move(row)); });
    for (std::size_t at = 0; at < text.size(); at += split_every)
      parser.feed(std::string_view(text).substr(at, split_every));
    parser.finish();
    return rows;
  };
  const auto whole = parse(text.size());
  ASSERT_EQ(whole.size(), 5u);
  EXPECT_EQ(whole[1].cells[2].text, "a, \"b\"\r\nc");
  EXPECT_EQ(whole[2].cells[2].text, "xtail");
  EXPECT_EQ(whole[3].cells.size(), 3u);
  EXPECT_EQ(whole[3].cells[0].kind, CellKind::empty);
  EXPECT_EQ(whole[4].cells[0].kind, CellKind::empty);
  EXPECT_EQ(whole[4].cells[2].text, "a very long note that spans well over sixteen bytes");
  for (std::size_t split = 1; split < 40; ++split) {
    const auto rows = parse(split);
    ASSERT_EQ(rows.size(), whole.size()) << split;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].cells.size(), whole[r].cells.size()) << split << " row " << r;
      for (std::size_t c = 0; c < rows[r].cells.size(); ++c) {
        EXPECT_EQ(rows[r].cells[c].text, whole[r].cells[c].text) << split;
        EXPECT_EQ(rows[r].cells[c].kind, whole[r].cells[c].kind) << split;
      }
    }
  }
}

TEST(CsvReader, ProvenanceCarriesSourceOwnerAndItem) {
  ReadOptions options;
  options.source = "reps";
  options.owner = "ann@acme.example";
  const auto sink = read_text("A,B\n1,2\n", options);
  EXPECT_EQ(sink.records[0].from.source, "reps");
  EXPECT_EQ(sink.records[0].from.owner, "ann@acme.example");
  EXPECT_EQ(sink.records[0].from.item, "t.csv");
  EXPECT_TRUE(sink.records[0].from.sheet.empty());
}

}  // namespace
}  // namespace crmsync::folder
