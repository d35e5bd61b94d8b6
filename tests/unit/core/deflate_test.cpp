// DEFLATE both ways: what is deflated in pieces inflates to the same text (and zlib, the reference
// implementation, agrees); what is damaged (gzip's check), cut short or too large is refused.
#include "core/compression/deflate.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "core/error.hpp"

namespace crmsync {
namespace {

std::string some_json(int operations) {
  std::string text = R"({"operations":[)";
  for (int i = 0; i < operations; ++i) {
    if (i > 0) text += ',';
    text += R"({"values":{"Email":"person.)" + std::to_string(i)
            + R"(@example.com"},"rows":[[1,"Contact","k)" + std::to_string(i * 7919 % 1000003)
            + R"("]]})";
  }
  return text + "]}";
}

std::string deflated(const std::string& text, std::size_t piece,
                     DeflateFraming framing = DeflateFraming::raw) {
  Deflater deflater(framing);
  for (std::size_t at = 0; at < text.size(); at += piece)
    deflater.add(std::string_view(text).substr(at, piece));
  return deflater.finish();
}

TEST(Deflate, PiecesInflateToTheWholeText) {
  const auto text = some_json(20000);
  const auto bytes = deflated(text, 4093);
  EXPECT_LT(bytes.size(), text.size() / 3);
  EXPECT_EQ(inflate(bytes, DeflateFraming::raw, text.size()), text);
}

TEST(Deflate, ZlibReadsWhatItWrites) {
  const auto text = some_json(3000);
  Deflater deflater;
  deflater.add(text);
  EXPECT_EQ(deflater.size(), text.size());
  EXPECT_EQ(deflater.crc32(), crc32(0, reinterpret_cast<const Bytef*>(text.data()), text.size()));
  auto bytes = deflater.finish();
  std::string back(text.size(), '\0');
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, -MAX_WBITS), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(bytes.data());
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(back.data());
  z.avail_out = static_cast<uInt>(back.size());
  EXPECT_EQ(::inflate(&z, Z_FINISH), Z_STREAM_END);
  inflateEnd(&z);
  EXPECT_EQ(back, text);
}

TEST(Deflate, AnEmptyTextIsAStreamToo) {
  Deflater deflater;
  const auto bytes = deflater.finish();
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(inflate(bytes, DeflateFraming::raw, 0), "");
}

TEST(Deflate, NothingIsAddedOnceFinished) {
  Deflater deflater;
  deflater.add("done");
  deflater.finish();
  EXPECT_THROW(deflater.add("more"), Error);
}

TEST(Inflate, ATextLargerThanAllowedIsRefused) {
  const auto text = some_json(2000);
  const auto bytes = deflated(text, text.size());
  EXPECT_EQ(inflate(bytes, DeflateFraming::raw, text.size()), text);
  try {
    inflate(bytes, DeflateFraming::raw, text.size() - 1);
    ADD_FAILURE() << "a text one byte too large was inflated";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("larger than"), std::string::npos) << e.what();
  }
}

TEST(Inflate, GzipBytesThatWereDamagedAreRefused) {
  const auto text = some_json(2000);
  auto bytes = deflated(text, 1u << 20, DeflateFraming::gzip);
  EXPECT_EQ(inflate(bytes, DeflateFraming::gzip, text.size()), text);
  for (std::size_t i = 0; i < 64; ++i)
    bytes[bytes.size() / 2 + i] = static_cast<char>(0xFF);
  EXPECT_THROW(inflate(bytes, DeflateFraming::gzip, 1u << 24), Error);
}

// Its stream whole, its trailer (CRC and size) cut: not a whole gzip member either.
TEST(Inflate, GzipWithoutItsTrailerIsRefused) {
  const auto bytes = deflated(some_json(2000), 1u << 20, DeflateFraming::gzip);
  EXPECT_THROW(
      inflate(std::string_view(bytes).substr(0, bytes.size() - 4), DeflateFraming::gzip, 1u << 24),
      Error);
}

TEST(Inflate, GzipIsWhatZlibReadsAsGzip) {
  const auto text = some_json(1000);
  auto bytes = deflated(text, 777, DeflateFraming::gzip);
  std::string back(text.size(), '\0');
  z_stream z{};
  ASSERT_EQ(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);  // gzip only
  z.next_in = reinterpret_cast<Bytef*>(bytes.data());
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(back.data());
  z.avail_out = static_cast<uInt>(back.size());
  EXPECT_EQ(::inflate(&z, Z_FINISH), Z_STREAM_END);  // its CRC and size checked
  inflateEnd(&z);
  EXPECT_EQ(back, text);
}

TEST(Inflate, BytesCutShortAreRefused) {
  const auto bytes = deflated(some_json(2000), 1u << 20);
  try {
    inflate(std::string_view(bytes).substr(0, bytes.size() / 2), DeflateFraming::raw, 1u << 24);
    ADD_FAILURE() << "half a stream was inflated";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("end before"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace crmsync
