#include <gtest/gtest.h>

#include "connectors/folder/readers/csv_reader.hpp"
#include "connectors/folder/readers/encoding_detector.hpp"
#include "connectors/folder/readers/text_decoder.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::CollectingSink;

std::string utf16(std::u16string_view text, bool little_endian) {
  std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (const char16_t c : text) {
    const char lo = static_cast<char>(c & 0xFF), hi = static_cast<char>(c >> 8);
    out.push_back(little_endian ? lo : hi);
    out.push_back(little_endian ? hi : lo);
  }
  return out;
}

TEST(EncodingDetector, BomsThenUtf8ThenWindows1252) {
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBF"
                            "a",
                            true)
                .encoding,
            TextEncoding::utf8);
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBF"
                            "a",
                            true)
                .bom_bytes,
            3u);
  EXPECT_EQ(detect_encoding("\xFF\xFE"
                            "a\0",
                            true)
                .encoding,
            TextEncoding::utf16le);
  EXPECT_EQ(detect_encoding("\xFE\xFF\0a", true).encoding, TextEncoding::utf16be);
  EXPECT_EQ(detect_encoding("Zo\xC3\xAB", true).encoding, TextEncoding::utf8);
  EXPECT_EQ(detect_encoding("Zo\xEB", true).encoding, TextEncoding::windows1252);
  // A partial sample may stop inside a character; a complete file may not.
  EXPECT_EQ(detect_encoding("Zo\xC3", false).encoding, TextEncoding::utf8);
  EXPECT_EQ(detect_encoding("Zo\xC3", true).encoding, TextEncoding::windows1252);
}

TEST(TextDecoder, Windows1252UsesTheCodePageNotLatin1) {
  TextDecoder decoder(TextEncoding::windows1252);
  std::string out;
  decoder.decode("\x80 \x93q\x94 \xE9", true, out);
  EXPECT_EQ(out, "€ “q” é");
  EXPECT_EQ(decoder.substitutions(), 0u);
}

TEST(TextDecoder, Utf16SurrogatePairsSplitAcrossChunks) {
  const std::string bytes = utf16(u"a\U0001F600b", true).substr(2);
  TextDecoder decoder(TextEncoding::utf16le);
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    decoder.decode(bytes.substr(i, 1), i + 1 == bytes.size(), out);
  EXPECT_EQ(out,
            "a\xF0\x9F\x98\x80"
            "b");
  EXPECT_EQ(decoder.substitutions(), 0u);
}

TEST(TextDecoder, InvalidUtf8IsReplacedAndCounted) {
  TextDecoder decoder(TextEncoding::utf8);
  std::string out;
  decoder.decode("ok\xC3", false, out);
  decoder.decode("\xA9 bad\xFF end\xE2\x82", true, out);
  EXPECT_EQ(out, "ok\xC3\xA9 bad\xEF\xBF\xBD end\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(decoder.substitutions(), 3u);
}

TEST(CsvEncoding, Utf16BigEndianFileReads) {
  const std::string bytes = utf16(u"Name\tCity\r\nRenée\tZürich\r\n", false);
  MemoryByteSource source(bytes);
  CollectingSink sink;
  read_csv(source, "t.txt", {}, sink);
  EXPECT_EQ(sink.tables[0].encoding, "UTF-16BE");
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(sink.records[0].cells[1].text, "Zürich");
}

// Excel's "Unicode Text" from some versions, and other exporters, leave the BOM out: such a file
// was refused as binary (it is full of zero bytes).
TEST(CsvEncoding, Utf16WithoutBomIsDetectedNotRefusedAsBinary) {
  for (const bool little_endian : {true, false}) {
    const std::string bytes =
        utf16(u"First Name\tCity\r\nRenée\tZürich\r\nЖанна\t東京\r\n", little_endian).substr(2);
    MemoryByteSource source(bytes);
    CollectingSink sink;
    read_csv(source, "t.txt", {}, sink);
    EXPECT_EQ(sink.tables[0].encoding, little_endian ? "UTF-16LE (no BOM)" : "UTF-16BE (no BOM)");
    EXPECT_EQ(sink.tables[0].delimiter, "\\t");
    ASSERT_EQ(sink.records.size(), 2u);
    EXPECT_EQ(sink.records[0].cells[1].text, "Zürich");
    EXPECT_EQ(sink.records[1].cells[0].text, "Жанна");
    EXPECT_EQ(sink.records[1].cells[1].text, "東京");
  }
}

TEST(EncodingDetector, ZerosOnBothSidesAreNotUtf16) {
  // An executable's header: zeros scattered over even and odd offsets.
  const std::string elf(
      "\x7F"
      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3E\0\x01\0\0\0\x10\x10",
      26);
  EXPECT_NE(detect_encoding(elf, true).encoding, TextEncoding::utf16le);
  EXPECT_NE(detect_encoding(elf, true).encoding, TextEncoding::utf16be);
  std::string text;
  for (const char c : std::string("Name,Phone\n"))
    text += std::string{c, '\0'};
  EXPECT_EQ(detect_encoding(text, true).encoding, TextEncoding::utf16le);
  EXPECT_EQ(detect_encoding(text, true).bom_bytes, 0u);
}

TEST(TextDecoder, ValidUtf8IsPassedThroughWithoutACopy) {
  TextDecoder decoder(TextEncoding::utf8);
  const std::string_view chunk = "Zo\xC3\xAB Ray,+1 415";
  EXPECT_EQ(decoder.decode(chunk, false).data(), chunk.data());
  // A character cut by the chunk's end is completed by the next chunk.
  EXPECT_EQ(decoder.decode("ab\xC3", false), "ab");
  EXPECT_EQ(decoder.decode("\xAB"
                           "cd",
                           true),
            "\xC3\xAB"
            "cd");
  EXPECT_EQ(decoder.substitutions(), 0u);
}

TEST(CsvEncoding, InvalidUtf8AfterTheSampleRejectsOnlyThatRow) {
  std::string text = "Name,Note\n";
  while (text.size() < 70000)
    text += "Ann,fine\n";
  const std::uint32_t bad_row =
      static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  text += "Bob,bro\xFFken\nCid,after\n";
  MemoryByteSource source(text);
  CollectingSink sink;
  read_csv(source, "t.csv", {}, sink);
  EXPECT_EQ(sink.tables[0].encoding, "UTF-8");
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].from.row, bad_row);
  EXPECT_EQ(sink.errors[0].column, 2u);
  EXPECT_EQ(sink.records.back().cells[0].text, "Cid");
}

TEST(CsvEncoding, LoneUtf16SurrogateRejectsItsRow) {
  std::string bytes = utf16(u"Name\r\nAnn\r\n", true);
  bytes += std::string("\x00\xD8", 2);  // a high surrogate with no low one
  bytes += utf16(u"x\r\nBob\r\n", true).substr(2);
  MemoryByteSource source(bytes);
  CollectingSink sink;
  read_csv(source, "t.txt", {}, sink);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].from.row, 3u);
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[1].cells[0].text, "Bob");
}

}  // namespace
}  // namespace crmsync::folder
