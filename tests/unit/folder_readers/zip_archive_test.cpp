// ZipArchive inflates deflated entries itself (ISA-L), so what libzip checked for it is checked
// here: damaged data, a stream cut short inside a whole archive, a CRC that does not match. Each
// would otherwise hang, or hand on garbage as a rep's rows.
#include "connectors/folder/readers/zip_archive.hpp"

#include <gtest/gtest.h>
#include <zip.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::TempDir;

const std::string kSheet = "xl/worksheets/sheet1.xml";

// Some 300 KB of rows that do not repeat much: the sheet's compressed bytes are most of the file.
std::string varied_rows() {
  std::string xml = "<worksheet><sheetData>";
  std::uint32_t seed = 12345;
  for (int r = 1; r <= 4000; ++r) {
    xml += "<row r=\"" + std::to_string(r) + "\"><c t=\"inlineStr\"><is><t>";
    for (int k = 0; k < 40; ++k) {
      seed = seed * 1103515245 + 12345;
      xml += static_cast<char>('a' + (seed >> 16) % 26);
    }
    xml += "</t></is></c></row>";
  }
  return xml + "</sheetData></worksheet>";
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An archive of varied rows, as bytes to damage.
std::string whole_archive(const TempDir& dir) {
  const auto whole = dir.path() / "whole.xlsx";
  testing::write_zip(whole, {{kSheet, varied_rows()}});
  return read_bytes(whole);
}

std::string streamed(ZipArchive& zip, const std::string& name) {
  std::string out;
  zip.stream(name, [&out](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  return out;
}

// Expects stream() to throw Error(input) naming the entry and `why`.
void expect_damaged(const std::filesystem::path& path, const std::string& why) {
  ZipArchive zip(path, ReadLimits{});
  try {
    streamed(zip, kSheet);
    ADD_FAILURE() << "expected " << kSheet << " to be damaged";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::input);
    const std::string what = e.what();
    EXPECT_NE(what.find(kSheet + " in the XLSX archive is damaged"), std::string::npos) << what;
    EXPECT_NE(what.find(why), std::string::npos) << what;
  }
}

// Where the sheet's local header starts: its name's first occurrence (the central directory
// names it again, later).
std::size_t local_header_of(const std::string& bytes) {
  const auto name = bytes.find(kSheet);
  if (name == std::string::npos || name < 30) throw std::runtime_error("no local header");
  return name - 30;
}

std::uint16_t u16_at(const std::string& bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at])
                                    | static_cast<unsigned char>(bytes[at + 1]) << 8);
}

// An entry whose deflated bytes are given as they are (libzip would deflate them again).
struct RawEntry {
  std::string deflated;
  std::uint64_t size = 0;
  std::uint32_t crc = 0;
  std::size_t read = 0;
};

zip_int64_t raw_entry_source(void* self, void* data, zip_uint64_t length, zip_source_cmd_t cmd) {
  auto& entry = *static_cast<RawEntry*>(self);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      entry.read = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const auto n = std::min<std::size_t>(length, entry.deflated.size() - entry.read);
      std::memcpy(data, entry.deflated.data() + entry.read, n);
      entry.read += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      st->size = entry.size;
      st->comp_size = entry.deflated.size();
      st->comp_method = ZIP_CM_DEFLATE;
      st->crc = entry.crc;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                            ZIP_SOURCE_SUPPORTS, -1);
    default:
      return 0;
  }
}

// `xml` deflated raw; `finish` false stops at a flush, before the stream's last block.
// `xml` deflated raw and flushed; `finish` then ends the stream with an empty last block, as a
// writer that flushes as it goes does. Unfinished, the stream stops before its last block.
std::string raw_deflate(const std::string& xml, bool finish) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, xml.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(xml.data()));
  z.avail_in = static_cast<uInt>(xml.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_SYNC_FLUSH);
  if (finish) deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

RawEntry raw_entry(const std::string& xml, bool finish) {
  const auto crc = crc32(0, reinterpret_cast<const Bytef*>(xml.data()), xml.size());
  return {raw_deflate(xml, finish), xml.size(), static_cast<std::uint32_t>(crc), 0};
}

void write_raw_sheet(const std::filesystem::path& path, RawEntry& sheet) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr);
  zip_source_t* source = zip_source_function(archive, &raw_entry_source, &sheet);
  ASSERT_NE(source, nullptr);
  ASSERT_GE(zip_file_add(archive, kSheet.c_str(), source, 0), 0);
  ASSERT_EQ(zip_close(archive), 0);
}

TEST(ZipArchive, StreamsADeflatedEntryAsWritten) {
  TempDir dir;
  const auto xml = varied_rows();
  const auto path = dir.path() / "whole.xlsx";
  testing::write_zip(path, {{kSheet, xml}, {"docProps/app.xml", "<Properties/>"}});
  ZipArchive zip(path, ReadLimits{});
  EXPECT_EQ(streamed(zip, kSheet), xml);
  EXPECT_EQ(zip.read_all("docProps/app.xml"), "<Properties/>");
}

TEST(ZipArchive, StopsInflatingWhenTheReaderHasEnough) {
  TempDir dir;
  const auto path = dir.path() / "whole.xlsx";
  testing::write_zip(path, {{kSheet, varied_rows()}});
  ZipArchive zip(path, ReadLimits{});
  std::size_t chunks = 0;
  zip.stream(kSheet, [&chunks](std::string_view) { return ++chunks < 2; });
  EXPECT_EQ(chunks, 2u);
}

TEST(ZipArchive, CorruptDeflatedBytesAreDamaged) {
  TempDir dir;
  auto bytes = whole_archive(dir);
  const auto header = local_header_of(bytes);
  const auto data = header + 30 + u16_at(bytes, header + 26) + u16_at(bytes, header + 28);
  for (std::size_t i = 0; i < 64; ++i)
    bytes[data + 2000 + i] = static_cast<char>(0xFF);
  expect_damaged(dir.write("corrupt.xlsx", bytes), "damaged");
}

TEST(ZipArchive, ACrcThatDoesNotMatchIsDamaged) {
  TempDir dir;
  auto bytes = whole_archive(dir);
  // The CRC is in the local header (offset 14) and the central directory's entry (offset 16).
  const auto local = local_header_of(bytes);
  const auto central = bytes.find(kSheet, local + 30 + kSheet.size()) - 46;
  ASSERT_EQ(bytes.compare(central, 4, "PK\x01\x02"), 0);
  bytes[local + 14] = static_cast<char>(bytes[local + 14] ^ 0x5A);
  bytes[central + 16] = static_cast<char>(bytes[central + 16] ^ 0x5A);
  expect_damaged(dir.write("crc.xlsx", bytes), "CRC mismatch");
}

TEST(ZipArchive, AStreamCutShortInAWholeArchiveIsDamaged) {
  TempDir dir;
  const auto xml = varied_rows();
  auto sheet = raw_entry(xml, false);
  const auto path = dir.path() / "cut.xlsx";
  write_raw_sheet(path, sheet);
  expect_damaged(path, "cut short");
}

// A writer that flushes as it goes ends its stream with an empty last block, here after text that
// fills the reader's buffers exactly: the block produces nothing, and the entry is whole.
TEST(ZipArchive, AnEntryEndingInAnEmptyBlockAfterFullBuffersReads) {
  TempDir dir;
  auto xml = varied_rows();
  xml.resize(4 * 65536);  // exactly four of the reader's output buffers
  auto sheet = raw_entry(xml, true);
  const auto path = dir.path() / "flushed.xlsx";
  write_raw_sheet(path, sheet);
  ZipArchive zip(path, ReadLimits{});
  EXPECT_EQ(streamed(zip, kSheet), xml);
}

TEST(ZipArchive, ARawEntryThatEndsProperlyReads) {
  // The same construction as above, finished: what makes the entry damaged is only its end.
  TempDir dir;
  const auto xml = varied_rows();
  auto sheet = raw_entry(xml, true);
  const auto path = dir.path() / "whole.xlsx";
  write_raw_sheet(path, sheet);
  ZipArchive zip(path, ReadLimits{});
  EXPECT_EQ(streamed(zip, kSheet), xml);
}

}  // namespace
}  // namespace crmsync::folder
