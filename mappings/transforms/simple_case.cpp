#include "mappings/transforms/simple_case.hpp"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>

#include "core/text/loose_key.hpp"

namespace crmsync::mappings {

bool is_ascii(std::string_view text) noexcept {
  // Eight bytes at a time: several transforms ask this of every value of every row.
  std::size_t i = 0;
  std::uint64_t high = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    high |= word;
  }
  for (; i < text.size(); ++i)
    high |= static_cast<unsigned char>(text[i]);
  return (high & 0x8080808080808080ULL) == 0;
}

std::string to_lower_unicode(std::string_view text) {
  if (is_ascii(text)) {
    std::string out(text);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  }
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .toLower(icu::Locale::getRoot())
      .toUTF8String(out);
  return out;
}

void lower_in_place(std::string& text) {
  if (!is_ascii(text)) {
    text = to_lower_unicode(text);
    return;
  }
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

std::string to_upper_unicode(std::string_view text) {
  if (is_ascii(text)) {
    std::string out(text);
    for (char& c : out)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
  }
  std::string out;
  icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .toUpper(icu::Locale::getRoot())
      .toUTF8String(out);
  return out;
}

namespace {
// Length in bytes of the non-ASCII white-space code point starting at `i`, or 0.
std::size_t unicode_space_at(std::string_view text, std::size_t i) {
  int32_t offset = static_cast<int32_t>(i);
  UChar32 cp = 0;
  U8_NEXT(text.data(), offset, static_cast<int32_t>(text.size()), cp);
  if (cp < 0 || !u_isUWhiteSpace(cp)) return 0;
  return static_cast<std::size_t>(offset) - i;
}

// Length in bytes of the white-space code point starting at `i`, or 0. Inline: ASCII is decided
// here without a call.
inline std::size_t space_at(std::string_view text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) return (byte == ' ' || (byte >= '\t' && byte <= '\r')) ? 1 : 0;
  return unicode_space_at(text, i);
}
}  // namespace

void trim_in_place(std::string& value) {
  // Most values start and end with a printable ASCII byte: nothing to strip.
  if (value.empty()
      || (static_cast<unsigned char>(value.front() - 0x21) < 0x5F
          && static_cast<unsigned char>(value.back() - 0x21) < 0x5F))
    return;
  std::size_t begin = 0;
  while (begin < value.size()) {
    const auto n = space_at(value, begin);
    if (n == 0) break;
    begin += n;
  }
  std::size_t end = value.size();
  while (end > begin) {
    // Walk back to the start of the last code point.
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(value[start]) & 0xC0) == 0x80)
      --start;
    if (space_at(value, start) != end - start) break;
    end = start;
  }
  // Erase in place: a substr() copy would allocate for every padded cell.
  value.resize(end);
  value.erase(0, begin);
}

std::string loose_key(std::string_view text) {
  return crmsync::loose_key(text);
}

}  // namespace crmsync::mappings
