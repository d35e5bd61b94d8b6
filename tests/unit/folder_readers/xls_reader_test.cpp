// Legacy .xls through libfreexl: real workbooks read as the .xlsx they were saved from, and files
// that would make libfreexl 1.0.6 read outside its buffers are refused before it opens them.
#include "connectors/folder/readers/xls_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "connectors/folder/readers/xls_preflight.hpp"
#include "connectors/folder/readers/xlsx_reader.hpp"
#include "core/error.hpp"
#include "tests/support/demo_xls_workbooks.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

namespace fs = std::filesystem;
using testing::CollectingSink;

const fs::path kSource = CRMSYNC_SOURCE_DIR;

// The message of the crmsync::Error(input) that `f` throws, "" (and a failure) otherwise.
template <typename F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected an input error";
  return "";
}

// Found by fuzz_xls_reader: the Gnumeric contacts workbook with one byte inserted, which shifts
// the Compound File directory so that the root entry's name length reads 0x1600. libfreexl passes
// that length to iconv as-is: under ASan a 5,632-byte stack-buffer-underflow inside freexl_open,
// without it an over-read that ends in "freexl error -20".
TEST(XlsReader, DirectoryNameLongerThanItsFieldIsRefusedBeforeFreexl) {
  CollectingSink sink;
  const auto path = kSource / "tests/fuzz/folder_readers/corpus_xls/freexl-iconv-overread.xls";
  ASSERT_TRUE(fs::exists(path));
  EXPECT_EQ(input_error([&] { read_xls(path, {}, sink); }),
            "freexl-iconv-overread.xls is not a readable Excel 97-2003 file: Compound File "
            "directory entry 0 declares a 5632-byte name at byte 12352; a name holds at most 64 "
            "bytes (damaged or crafted file)");
  EXPECT_TRUE(sink.records.empty());
}

// Found by fuzz_xls_reader after the pre-check: libfreexl 1.0.6 gives a sheet without a DIMENSION
// record the cells of another sheet and later frees the cells of a sheet by row and column counts
// that no longer match them, reading past a heap block (a SEGV, a glibc abort or an ASan report,
// depending on the heap). No pre-check knows every such case; the child process contains them.
TEST(XlsReader, CrashInsideFreexlFailsThatFileOnly) {
  CollectingSink sink;
  const auto path =
      kSource / "tests/fuzz/folder_readers/corpus_xls/freexl-sheet-cells-overread.xls";
  ASSERT_TRUE(fs::exists(path));
  const std::string message = input_error([&] { read_xls(path, {}, sink); });
  EXPECT_EQ(message.rfind("freexl-sheet-cells-overread.xls is not a readable Excel 97-2003 file: "
                          "the .xls parser (libfreexl) ",
                          0),
            0u)
      << message;
  EXPECT_TRUE(sink.records.empty());
}

// The same bookkeeping bug without the crash: freexl allocates the cells of the sheet it parsed
// last a second time and drops the first block. The leak dies with the child (the ASan build's
// leak checker fails this test otherwise), and the sheet freexl did read still arrives.
TEST(XlsReader, LeakInsideFreexlDiesWithTheChild) {
  CollectingSink sink;
  read_xls(kSource / "tests/fuzz/folder_readers/corpus_xls/freexl-sheet-without-dimension-leak.xls",
           {}, sink);
  ASSERT_EQ(sink.tables.size(), 1u);
  EXPECT_FALSE(sink.records.empty());
}

// A Compound File header (512-byte sectors unless `shift` says otherwise) followed by `sectors`.
std::vector<unsigned char> compound_file(std::uint32_t directory_start, std::uint16_t shift,
                                         std::size_t sectors) {
  std::vector<unsigned char> bytes((std::size_t{1} << shift) * (sectors + 1), 0);
  const unsigned char magic[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  std::memcpy(bytes.data(), magic, sizeof magic);
  bytes[0x1E] = static_cast<unsigned char>(shift);
  std::memcpy(bytes.data() + 0x30, &directory_start, 4);  // little-endian host, as freexl's
  return bytes;
}

void set_name_length(std::vector<unsigned char>& bytes, std::size_t entry_at, std::uint16_t n) {
  std::memcpy(bytes.data() + entry_at + 0x40, &n, 2);
}

std::string preflight(const std::vector<unsigned char>& bytes) {
  try {
    preflight_xls("book.xls", [&bytes](std::uint64_t offset, std::span<unsigned char> buffer) {
      if (offset >= bytes.size()) return std::size_t{0};
      const auto n = std::min<std::size_t>(buffer.size(), bytes.size() - offset);
      std::memcpy(buffer.data(), bytes.data() + offset, n);
      return n;
    });
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(XlsPreflight, NameOfExactly64BytesPassesAndOneMoreIsRefused) {
  auto bytes = compound_file(0, 9, 1);  // directory in sector 0, at byte 512
  set_name_length(bytes, 512 + 3 * 128, 64);
  EXPECT_EQ(preflight(bytes), "");
  set_name_length(bytes, 512 + 3 * 128, 65);
  EXPECT_NE(preflight(bytes).find("entry 3 declares a 65-byte name at byte 960"), std::string::npos)
      << preflight(bytes);
}

TEST(XlsPreflight, FourKibSectorsHoldThirtyTwoEntries) {
  auto bytes = compound_file(1, 12, 2);  // directory in sector 1, at byte 8192
  set_name_length(bytes, 8192 + 31 * 128, 0xFFFF);
  EXPECT_NE(preflight(bytes).find("entry 31 declares a 65535-byte name at byte 12224"),
            std::string::npos)
      << preflight(bytes);
}

// freexl computes the directory's offset in 32 bits: start sector 0x7FFFFF with 512-byte sectors
// wraps to byte 0, so it reads the header as the directory; the check must look there too.
TEST(XlsPreflight, DirectoryOffsetWrapsAt32BitsAsInFreexl) {
  auto bytes = compound_file(0x7FFFFF, 9, 1);
  set_name_length(bytes, 0, 0x1000);
  EXPECT_NE(preflight(bytes).find("entry 0 declares a 4096-byte name at byte 64"),
            std::string::npos)
      << preflight(bytes);
}

TEST(XlsPreflight, NotACompoundFileOrCutShortIsLeftToFreexl) {
  EXPECT_EQ(preflight({}), "");
  EXPECT_EQ(preflight(std::vector<unsigned char>(600, 'x')), "");
  auto bytes = compound_file(5, 9, 1);  // directory sector beyond the end
  EXPECT_EQ(preflight(bytes), "");
  bytes[0x1E] = 10;  // a sector size freexl does not know: it refuses the header itself
  set_name_length(bytes, 512, 0xFFFF);
  EXPECT_EQ(preflight(bytes), "");
}

// The Gnumeric-written workbooks read exactly as the .xlsx they were saved from: the check lets
// real files through untouched.
class XlsAsXlsx : public ::testing::TestWithParam<const char*> {};

TEST_P(XlsAsXlsx, SameSheetHeaderRowsAndCells) {
  const std::string workbook = GetParam();
  const auto rep = workbook.substr(0, workbook.find('/'));
  const auto name = workbook.substr(workbook.find('/') + 1);
  ReadOptions options;
  options.header_hint = testing::contact_hint();
  CollectingSink xls;
  CollectingSink xlsx;
  read_xls(kSource / "tests/data/xls" / (name + ".xls"), options, xls);
  read_xlsx(kSource / "config/demo/inbox" / rep / (name + ".xlsx"), options, xlsx);
  ASSERT_EQ(xls.tables.size(), 1u);
  ASSERT_EQ(xlsx.tables.size(), 1u);
  EXPECT_EQ(xls.tables[0].sheet, xlsx.tables[0].sheet);
  EXPECT_EQ(xls.headers[0]->row, xlsx.headers[0]->row);
  EXPECT_EQ(xls.headers[0]->columns, xlsx.headers[0]->columns);
  ASSERT_EQ(xls.records.size(), xlsx.records.size());
  EXPECT_GT(xls.records.size(), 5u);
  for (std::size_t i = 0; i < xls.records.size(); ++i) {
    const Record& a = xls.records[i];
    const Record& b = xlsx.records[i];
    EXPECT_EQ(a.from.row, b.from.row);
    ASSERT_EQ(a.cells.size(), b.cells.size()) << "row " << a.from.row;
    for (std::size_t c = 0; c < a.cells.size(); ++c) {
      EXPECT_EQ(a.cells[c].text, b.cells[c].text) << "row " << a.from.row << " column " << c;
      EXPECT_EQ(a.cells[c].kind, b.cells[c].kind) << "row " << a.from.row << " column " << c;
    }
  }
  EXPECT_TRUE(xls.errors.empty());
}

INSTANTIATE_TEST_SUITE_P(DemoWorkbooks, XlsAsXlsx, crmsync::testing::demo_xls_workbooks(),
                         crmsync::testing::DemoXlsTestName());

}  // namespace
}  // namespace crmsync::folder
