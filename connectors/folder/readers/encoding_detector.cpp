#include "connectors/folder/readers/encoding_detector.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace crmsync::folder {

// Hand-rolled rather than ICU's converter because it runs on every byte of every UTF-8 file and
// must cost next to nothing: a 16-byte (SSE2) or 8-byte ASCII fast path, then the RFC 3629 byte
// ranges.
std::size_t valid_utf8_prefix(std::string_view bytes) noexcept {
  const auto* s = reinterpret_cast<const std::uint8_t*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    if (i + 16 <= n) {
      // Straight to the first non-ASCII byte of the next 16 (or past them all).
      const auto mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i))));
      if (mask == 0) {
        i += 16;
        continue;
      }
      i += static_cast<std::size_t>(__builtin_ctz(mask));
    }
#endif
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

namespace {

// Excel and some exporters write UTF-16 without a BOM. Text in a Latin script then has a zero
// byte in almost every code unit, always on the same side (odd offsets for little-endian); binary
// files have zeros too, but scattered over both sides. The NUL-character check after decoding
// still refuses a binary file that happens to pass this test.
std::optional<TextEncoding> bomless_utf16(std::string_view sample) {
  constexpr std::size_t kUnits = 2048;
  const std::size_t units = std::min(sample.size() / 2, kUnits);
  if (units < 2) return std::nullopt;
  std::size_t zero_even = 0, zero_odd = 0;
  for (std::size_t i = 0; i < units; ++i) {
    zero_even += sample[2 * i] == '\0';
    zero_odd += sample[2 * i + 1] == '\0';
  }
  // Most units zero on one side, (almost) none on the other.
  auto one_sided = [units](std::size_t side, std::size_t other) {
    return side * 10 >= units * 6 && other * 50 <= units;
  };
  if (one_sided(zero_odd, zero_even)) return TextEncoding::utf16le;
  if (one_sided(zero_even, zero_odd)) return TextEncoding::utf16be;
  return std::nullopt;
}

}  // namespace

DetectedEncoding detect_encoding(std::string_view sample, bool complete) {
  auto starts = [&](std::string_view bom) { return sample.substr(0, bom.size()) == bom; };
  if (starts("\xEF\xBB\xBF")) return {TextEncoding::utf8, 3, "UTF-8 (BOM)"};
  if (starts("\xFF\xFE")) return {TextEncoding::utf16le, 2, "UTF-16LE"};
  if (starts("\xFE\xFF")) return {TextEncoding::utf16be, 2, "UTF-16BE"};
  if (std::memchr(sample.data(), '\0', sample.size()) != nullptr) {
    if (const auto utf16 = bomless_utf16(sample))
      return {*utf16, 0,
              *utf16 == TextEncoding::utf16le ? "UTF-16LE (no BOM)" : "UTF-16BE (no BOM)"};
  }
  const std::size_t valid = valid_utf8_prefix(sample);
  // A partial sample may end inside a multi-byte character: up to 3 trailing bytes are forgiven.
  if (valid == sample.size() || (!complete && sample.size() - valid < 4))
    return {TextEncoding::utf8, 0, "UTF-8"};
  return {TextEncoding::windows1252, 0, "windows-1252"};
}

}  // namespace crmsync::folder
