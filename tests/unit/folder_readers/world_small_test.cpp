// The done-check: every file of shared/data/world-small/inbox reads so that every row of
// truth.csv appears with the same sheet and row number (and no other row does), with cells
// decoded: accents, quoted-printable, phones Excel stored as numbers read as digits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "connectors/folder/readers/read_file.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

namespace fs = std::filesystem;
using testing::CollectingSink;
using Key = std::tuple<std::string, std::string, std::string, std::uint32_t>;

const fs::path kWorld = fs::path(CRMSYNC_SHARED_DATA_DIR) / "world-small";

std::set<Key> truth_rows() {
  std::set<Key> rows;
  std::ifstream in(kWorld / "truth.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      const auto comma = line.find(',', start);
      f.push_back(line.substr(start, comma - start));
      start = comma + 1;
    }
    rows.emplace(f[0], f[1], f[2], static_cast<std::uint32_t>(std::stoul(f[3])));
  }
  return rows;
}

class WorldSmall : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kWorld / "truth.csv")) GTEST_SKIP() << "no shared data at " << kWorld;
  }
  CollectingSink read(const std::string& rep, const std::string& file) {
    ReadOptions options;
    options.source = "reps";
    options.owner = rep;
    options.header_hint = testing::contact_hint();
    CollectingSink sink;
    read_file(kWorld / "inbox" / rep / file, options, sink);
    return sink;
  }
};

TEST_F(WorldSmall, EveryTruthRowAppearsWithItsSheetAndRowAndNothingElse) {
  std::set<Key> seen;
  for (const auto& rep_dir : fs::directory_iterator(kWorld / "inbox")) {
    for (const auto& file : fs::directory_iterator(rep_dir.path())) {
      const std::string rep = rep_dir.path().filename().string();
      const std::string name = file.path().filename().string();
      CollectingSink sink = read(rep, name);
      EXPECT_TRUE(sink.errors.empty()) << name << ": " << sink.errors.front().reason;
      for (const auto& record : sink.records) {
        EXPECT_EQ(record.from.owner, rep);
        EXPECT_EQ(record.from.item, name);
        seen.emplace(rep, name, record.from.sheet, record.from.row);
        for (const auto& cell : record.cells)
          EXPECT_EQ(cell.text.find("\xEF\xBF\xBD"), std::string::npos) << name << " " << cell.text;
      }
    }
  }
  const std::set<Key> truth = truth_rows();
  ASSERT_EQ(truth.size(), 8u * 38u);
  for (const auto& key : truth)
    EXPECT_TRUE(seen.contains(key)) << "missing " << std::get<0>(key) << " " << std::get<1>(key)
                                    << " [" << std::get<2>(key) << "] row " << std::get<3>(key);
  for (const auto& key : seen)
    EXPECT_TRUE(truth.contains(key)) << "extra " << std::get<0>(key) << " " << std::get<1>(key)
                                     << " [" << std::get<2>(key) << "] row " << std::get<3>(key);
}

TEST_F(WorldSmall, EuropeanExcelCsvDecodesWindows1252AndQuotedNewlines) {
  const auto sink = read("bob.smith@acme.example", "leads_export.csv");
  ASSERT_EQ(sink.tables.size(), 1u);
  EXPECT_EQ(sink.tables[0].encoding, "windows-1252");
  EXPECT_EQ(sink.tables[0].delimiter, ";");
  ASSERT_NE(sink.row(9), nullptr);
  EXPECT_EQ(CollectingSink::cell(*sink.row(9), "First Name"), "Björn");
  ASSERT_NE(sink.row(11), nullptr);
  EXPECT_EQ(CollectingSink::cell(*sink.row(11), "Notes"),
            "Knows our VP from previous job\nSend catalog");
  EXPECT_EQ(CollectingSink::cell(*sink.row(12), "Last Name"), "Rodriguez");
}

TEST_F(WorldSmall, UnicodeTextIsUtf16TabSeparated) {
  const auto sink = read("carol.nguyen@acme.example", "contacts.txt");
  EXPECT_EQ(sink.tables[0].encoding, "UTF-16LE");
  EXPECT_EQ(sink.tables[0].delimiter, "\\t");
  EXPECT_EQ(CollectingSink::cell(*sink.row(2), "Contact"), "José Martin");
  EXPECT_EQ(CollectingSink::cell(*sink.row(3), "Contact"), "ALEXANDER Østergaard");
}

TEST_F(WorldSmall, OutlookExportReads92Columns) {
  const auto sink = read("dave.okafor@acme.example", "outlook_contacts.CSV");
  EXPECT_EQ(sink.headers[0]->columns.size(), 92u);
  EXPECT_EQ(sink.headers[0]->row, 1u);
  EXPECT_EQ(CollectingSink::cell(*sink.row(2), "E-mail Address"),
            "benjamin.robinson@brownromero.example.com");
  EXPECT_EQ(CollectingSink::cell(*sink.row(2), "Mobile Phone"), "914.335.7804");
}

TEST_F(WorldSmall, Utf8BomCsvKeepsCellsAsWritten) {
  const auto sink = read("grace.lee@acme.example", "contacts (2).csv");
  EXPECT_EQ(sink.tables[0].encoding, "UTF-8 (BOM)");
  EXPECT_EQ(sink.headers[0]->columns.front(), "First Name");
  EXPECT_EQ(CollectingSink::cell(*sink.row(2), "E-mail"), " ingridm@richards.example.com ");
}

TEST_F(WorldSmall, XlsxTitleRowsSkippedPhonesAsDigitsDatesIso) {
  const auto sink = read("alice.johnson@acme.example", "My Contacts.xlsx");
  EXPECT_EQ(sink.headers[0]->row, 3u);
  const Record* row4 = sink.row(4);
  ASSERT_NE(row4, nullptr);
  EXPECT_EQ(CollectingSink::cell(*row4, "Name"), "Robinson, Nick");
  EXPECT_EQ(CollectingSink::cell(*row4, "Phone"), "7492439303");
  EXPECT_EQ(CollectingSink::cell(*row4, "Last Contacted"), "2026-02-20");
  EXPECT_EQ(row4->cells[6].kind, CellKind::date);
}

TEST_F(WorldSmall, XlsxPicksTheContactsSheetOverDealsAndHidden) {
  const auto sink = read("frank.rossi@acme.example", "Q3 pipeline.xlsx");
  ASSERT_EQ(sink.tables.size(), 1u);
  EXPECT_EQ(sink.tables[0].sheet, "Contacts");
  EXPECT_EQ(CollectingSink::cell(*sink.row(2), "First"), "Peggy");
}

TEST_F(WorldSmall, VCard21QuotedPrintableAndVCard30Escapes) {
  const auto outlook = read("erin.muller@acme.example", "contacts.vcf");
  ASSERT_EQ(outlook.records.size(), 38u);
  EXPECT_EQ(CollectingSink::cell(*outlook.row(1), "Last Name"), "Lopez");
  EXPECT_EQ(CollectingSink::cell(*outlook.row(1), "Note"),
            "Knows our VP from previous job\nSend catalog");
  EXPECT_EQ(CollectingSink::cell(*outlook.row(2), "Mobile Phone"), "553.988.3299");
  const auto apple = read("hector.silva@acme.example", "contacts.vcf");
  EXPECT_EQ(CollectingSink::cell(*apple.row(2), "Note"), "Budget approved for Q3, follow up");
  EXPECT_EQ(CollectingSink::cell(*apple.row(3), "Last Name"), "Müller");
}

}  // namespace
}  // namespace crmsync::folder
