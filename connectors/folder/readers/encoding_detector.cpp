#include "connectors/folder/readers/encoding_detector.hpp"

#include <cstdint>
#include <cstring>

namespace crmsync::folder {

// Hand-rolled rather than ICU's converter because it runs on every byte of every UTF-8 file and
// must cost next to nothing: an 8-byte ASCII fast path, then the RFC 3629 byte ranges.
std::size_t valid_utf8_prefix(std::string_view bytes) noexcept {
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word = 0;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const std::uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return i;
}

DetectedEncoding detect_encoding(std::string_view sample, bool complete) {
  auto starts = [&](std::string_view bom) { return sample.substr(0, bom.size()) == bom; };
  if (starts("\xEF\xBB\xBF")) return {TextEncoding::utf8, 3, "UTF-8 (BOM)"};
  if (starts("\xFF\xFE")) return {TextEncoding::utf16le, 2, "UTF-16LE"};
  if (starts("\xFE\xFF")) return {TextEncoding::utf16be, 2, "UTF-16BE"};
  const std::size_t valid = valid_utf8_prefix(sample);
  // A partial sample may end inside a multi-byte character: up to 3 trailing bytes are forgiven.
  if (valid == sample.size() || (!complete && sample.size() - valid < 4))
    return {TextEncoding::utf8, 0, "UTF-8"};
  return {TextEncoding::windows1252, 0, "windows-1252"};
}

}  // namespace crmsync::folder
