// connectors/folder/inbox/utf8_sequence.hpp — decoding one UTF-8 sequence, strictly. Hand-rolled
// (a dozen lines) because file names and report cells need byte-exact control over what is
// invalid (each bad byte escaped or replaced on its own), which ICU's converters hide behind
// substitution callbacks. core/text/utf8 may take this over once it lands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace crmsync::folder {

// Decodes the sequence at text[pos]; returns its length in bytes, or 0 when the bytes there are
// not well-formed UTF-8 (overlong forms, surrogates, code points above U+10FFFF, cut sequences).
inline std::size_t decode_utf8_sequence(std::string_view text, std::size_t pos,
                                        char32_t& out) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[pos + i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    out = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, out = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, out = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, out = lead & 0x07u;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    out = (out << 6) | (byte(i) & 0x3Fu);
  }
  if (out < min || out > 0x10FFFF || (out >= 0xD800 && out <= 0xDFFF)) return 0;
  return length;
}

}  // namespace crmsync::folder
