// A report part deflated in pieces must read back, through libzip and zlib, as the bytes added:
// the same text, its size and its CRC-32 (libzip checks it as it reads).
#include "connectors/folder/report/deflated_part.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <memory>
#include <string>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

// `part` stored in a zip in memory, then read back by libzip.
std::string round_trip(DeflatedPart& part) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  zip_source_keep(buffer);
  zip_source_t* source = part.source(archive);
  EXPECT_GE(zip_file_add(archive, "part.xml", source, 0), 0);
  EXPECT_EQ(zip_close(archive), 0);
  zip_stat_t written;
  zip_stat_init(&written);
  EXPECT_EQ(zip_source_stat(buffer, &written), 0);
  std::string bytes(written.size, '\0');
  EXPECT_EQ(zip_source_open(buffer), 0);
  EXPECT_EQ(zip_source_read(buffer, bytes.data(), bytes.size()),
            static_cast<zip_int64_t>(bytes.size()));
  zip_source_close(buffer);
  zip_source_free(buffer);

  zip_source_t* stored = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* reader = zip_open_from_source(stored, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  EXPECT_NE(reader, nullptr);
  zip_stat_t stat;
  zip_stat_init(&stat);
  EXPECT_EQ(zip_stat(reader, "part.xml", 0, &stat), 0);
  EXPECT_EQ(stat.comp_method, ZIP_CM_DEFLATE);
  EXPECT_EQ(stat.comp_size, part.compressed_size());
  std::string text(stat.size, '\0');
  zip_file_t* file = zip_fopen(reader, "part.xml", 0);
  EXPECT_NE(file, nullptr);
  // zip_fread fails on a CRC that does not match what was inflated.
  EXPECT_EQ(zip_fread(file, text.data(), text.size()), static_cast<zip_int64_t>(text.size()));
  char more = 0;
  EXPECT_EQ(zip_fread(file, &more, 1), 0);
  zip_fclose(file);
  zip_discard(reader);  // and `stored` with it
  return text;
}

TEST(DeflatedPart, PiecesReadBackAsOneText) {
  std::string whole;
  DeflatedPart part;
  for (int i = 0; i < 5000; ++i) {
    const auto piece = "<row r=\"" + std::to_string(i) + "\"><c><v>" + std::to_string(i * 7919)
                       + "</v></c></row>" + std::string(static_cast<std::size_t>(i % 97), 'x');
    part.add(piece);
    whole += piece;
  }
  part.finish();
  EXPECT_LT(part.compressed_size(), whole.size() / 4);
  EXPECT_EQ(round_trip(part), whole);
}

TEST(DeflatedPart, AWholeTextInOneGo) {
  DeflatedPart part("<?xml version=\"1.0\"?><Types/>");
  EXPECT_EQ(round_trip(part), "<?xml version=\"1.0\"?><Types/>");
}

TEST(DeflatedPart, AnEmptyPartIsAnEmptyEntry) {
  DeflatedPart part;
  part.finish();
  EXPECT_GT(part.compressed_size(), 0u);  // a deflate stream's last block, with nothing in it
  EXPECT_EQ(round_trip(part), "");
}

TEST(DeflatedPart, NothingIsAddedOnceFinished) {
  DeflatedPart part("done");
  EXPECT_THROW(part.add("more"), Error);
}

}  // namespace
}  // namespace crmsync::folder
