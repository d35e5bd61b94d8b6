// Hostile and broken input: each case fails without its handling (a crash, a hang, memory
// exhaustion or silent garbage) and must instead give a clear reason.
#include <gtest/gtest.h>

#include <fstream>

#include "connectors/folder/readers/csv_reader.hpp"
#include "connectors/folder/readers/read_file.hpp"
#include "connectors/folder/readers/xls_reader.hpp"
#include "connectors/folder/readers/xlsx_reader.hpp"
#include "core/error.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::CollectingSink;
using testing::TempDir;

// Throws unless `f` throws crmsync::Error of `category` whose message contains `needle`.
template <typename F>
void expect_error(F&& f, ErrorCategory category, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), category);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

const std::string kHeaderRow = "<row r=\"1\"><c t=\"inlineStr\"><is><t>Name</t></is></c></row>";

// An endless line of 'a' (1 GB when not stopped), produced on demand instead of stored.
class EndlessLine final : public ByteSource {
 public:
  std::size_t read(std::span<char> buffer) override {
    if (produced >= (1ull << 30)) return 0;
    std::fill(buffer.begin(), buffer.end(), 'a');
    produced += buffer.size();
    return buffer.size();
  }
  std::uint64_t produced = 0;
};

TEST(HostileInput, GigabyteLineStopsAtTheRecordCap) {
  EndlessLine source;
  CollectingSink sink;
  expect_error([&] { read_csv(source, "huge.csv", {}, sink); }, ErrorCategory::input,
               "longer than 16 MB");
  EXPECT_LT(source.produced, 64ull << 20);
}

TEST(HostileInput, ZipBombRefusedByRatio) {
  TempDir dir;
  auto entries = testing::xlsx_entries({{"S", kHeaderRow, "", false}});
  entries["xl/worksheets/sheet1.xml"] =
      "<worksheet><sheetData>" + std::string(32u << 20, ' ') + "</sheetData></worksheet>";
  const auto path = dir.path() / "bomb.xlsx";
  testing::write_zip(path, entries);
  CollectingSink sink;
  expect_error([&] { read_xlsx(path, {}, sink); }, ErrorCategory::input, "zip bomb");
}

TEST(HostileInput, ZipBombRefusedByTotalSize) {
  TempDir dir;
  auto entries = testing::xlsx_entries({{"S", kHeaderRow, "", false}});
  ReadOptions options;
  options.limits.max_zip_total_bytes = 600;  // smaller than the workbook's parts together
  const auto path = dir.path() / "big.xlsx";
  testing::write_zip(path, entries);
  CollectingSink sink;
  expect_error([&] { read_xlsx(path, options, sink); }, ErrorCategory::input, "size cap");
}

TEST(HostileInput, ZipWithTooManyEntriesRefused) {
  TempDir dir;
  auto entries = testing::xlsx_entries({{"S", kHeaderRow, "", false}});
  for (int i = 0; i < 20; ++i)
    entries["junk/" + std::to_string(i)] = "x";
  ReadOptions options;
  options.limits.max_zip_entries = 10;
  const auto path = dir.path() / "many.xlsx";
  testing::write_zip(path, entries);
  CollectingSink sink;
  expect_error([&] { read_xlsx(path, options, sink); }, ErrorCategory::input, "entries");
}

TEST(HostileInput, XmlEntityExpansionRefused) {
  TempDir dir;
  auto entries = testing::xlsx_entries({{"S", kHeaderRow, "", false}});
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  laughs += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">";
  for (int i = 2; i < 10; ++i)
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + [&] {
      std::string s;
      for (int k = 0; k < 10; ++k)
        s += "&lol" + std::to_string(i - 1) + ";";
      return s;
    }() + "\">";
  laughs +=
      "]><worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&lol9;</t></is></c>"
      "</row></sheetData></worksheet>";
  entries["xl/worksheets/sheet1.xml"] = laughs;
  const auto path = dir.path() / "laughs.xlsx";
  testing::write_zip(path, entries);
  CollectingSink sink;
  expect_error([&] { read_xlsx(path, {}, sink); }, ErrorCategory::input, "DOCTYPE");
  EXPECT_TRUE(sink.records.empty());
}

TEST(HostileInput, ZipOfSomethingElseIsNotAWorkbook) {
  TempDir dir;
  const auto path = dir.path() / "photos.xlsx";
  testing::write_zip(path, {{"holiday.jpg", "\xFF\xD8\xFF not really"}});
  CollectingSink sink;
  expect_error([&] { read_file(path, {}, sink); }, ErrorCategory::input, "not an Excel workbook");
}

TEST(HostileInput, TruncatedXlsxIsADamagedArchive) {
  TempDir dir;
  const auto whole = dir.path() / "whole.xlsx";
  testing::write_zip(whole, testing::xlsx_entries({{"S", kHeaderRow, "", false}}));
  std::ifstream in(whole, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto cut = dir.write("cut.xlsx", bytes.substr(0, bytes.size() / 2));
  CollectingSink sink;
  expect_error([&] { read_file(cut, {}, sink); }, ErrorCategory::input, "damaged");
}

TEST(HostileInput, MalformedSheetXmlIsDamaged) {
  TempDir dir;
  auto entries = testing::xlsx_entries({{"S", kHeaderRow, "", false}});
  entries["xl/worksheets/sheet1.xml"] = "<worksheet><sheetData><row><c><v>1</v></row>";
  const auto path = dir.path() / "bad.xlsx";
  testing::write_zip(path, entries);
  CollectingSink sink;
  expect_error([&] { read_xlsx(path, {}, sink); }, ErrorCategory::input, "damaged");
}

TEST(HostileInput, BinaryFileNamedCsvIsRefused) {
  TempDir dir;
  std::string bytes =
      "\x7F"
      "ELF";
  bytes += std::string(100, '\0') + "more";
  const auto path = dir.write("contacts.csv", bytes);
  CollectingSink sink;
  expect_error([&] { read_file(path, {}, sink); }, ErrorCategory::input, "not a text file");
}

TEST(HostileInput, NulBytesLaterInATextFileRejectTheirRow) {
  std::string text = "Name,Note\n";
  while (text.size() < 70000)
    text += "Ann,fine\n";
  text += std::string("Bob,b\0d\n", 8) + "Cid,ok\n";
  MemoryByteSource source(text);
  CollectingSink sink;
  read_csv(source, "t.csv", {}, sink);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_NE(sink.errors[0].reason.find("NUL"), std::string::npos);
  EXPECT_EQ(sink.records.back().cells[0].text, "Cid");
}

TEST(HostileInput, FileRewrittenWhileReadIsATransientError) {
  TempDir dir;
  const auto path = dir.write("live.csv", "Name\nAnn\nBob\n");
  struct RewritingSink final : RecordSink {
    std::filesystem::path path;
    void on_table(const TableInfo&, std::shared_ptr<const Header>) override {}
    void on_record(Record&&) override {
      std::ofstream(path, std::ios::binary | std::ios::trunc) << "Name\nSomeone else entirely\n";
    }
    void on_row_error(RowError&&) override {}
  } sink;
  sink.path = path;
  expect_error([&] { read_file(path, {}, sink); }, ErrorCategory::transient, "changed while");
}

TEST(HostileInput, NotAnXlsFileIsAClearErrorAndNoLeak) {
  TempDir dir;
  // The OLE2 magic with nothing valid behind it: freexl fails, and its handle is still closed
  // (the ASan build's leak checker fails this test otherwise).
  const auto path = dir.write(
      "old.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, 'x'));
  CollectingSink sink;
  expect_error([&] { read_file(path, {}, sink); }, ErrorCategory::input, "Excel 97-2003");
}

TEST(HostileInput, UnknownFormatIsRefusedByName) {
  TempDir dir;
  const auto path = dir.write("notes.pdf", "%PDF-1.4");
  CollectingSink sink;
  expect_error([&] { read_file(path, {}, sink); }, ErrorCategory::input, "not a spreadsheet");
}

}  // namespace
}  // namespace crmsync::folder
