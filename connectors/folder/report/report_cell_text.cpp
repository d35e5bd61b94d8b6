#include "connectors/folder/report/report_cell_text.hpp"

#include <cstdint>

#include "connectors/folder/inbox/utf8_sequence.hpp"
#include "core/text/byte_scan.hpp"

namespace crmsync::folder {
namespace {

constexpr std::size_t kExcelCellLimit = 32767;             // UTF-16 code units per cell
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

bool allowed_in_xml(char32_t c) noexcept {
  if (c < 0x20) return c == 0x09 || c == 0x0A || c == 0x0D;
  return c != 0xFFFE && c != 0xFFFF;
}

// Not ASCII that XML allows: a byte of a multi-byte sequence, or a control other than tab, LF, CR.
bool not_plain(unsigned char c) {
  return c >= 0x80 || (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D);
}

// ASCII that XML allows: nearly every cell, copied whole rather than a character at a time
// (a 100k-row report cleans a million cells, twice).
bool plain_ascii(std::string_view text) noexcept {
  return find_special_byte(
             text,
#if defined(__SSE2__)
             [](__m128i bytes) {
               // Compared as signed bytes, 0x80-0xFF are negative: below the space, with the
               // controls. Tab, LF and CR are allowed.
               const __m128i below_space = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
               const __m128i allowed =
                   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x09)),
                                             _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x0A))),
                                _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x0D)));
               return _mm_movemask_epi8(_mm_andnot_si128(allowed, below_space));
             },
#else
             nullptr,
#endif
             not_plain)
         == text.size();
}

bool starts_like_a_formula(std::string_view text) noexcept {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string clean_cell_text(std::string_view text) {
  if (text.size() < kExcelCellLimit && plain_ascii(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  std::size_t units = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8_sequence(text, pos, c);
    const std::string_view piece = length == 0 ? kReplacement : text.substr(pos, length);
    pos += length == 0 ? 1 : length;
    if (length != 0 && !allowed_in_xml(c)) continue;
    const std::size_t piece_units = c >= 0x10000 ? 2 : 1;
    if (units + piece_units > kExcelCellLimit - 1) {
      out += kEllipsis;
      break;
    }
    units += piece_units;
    out += piece;
  }
  return out;
}

std::string neutralize_formula(std::string_view text) {
  return starts_like_a_formula(text) ? "'" + std::string(text) : std::string(text);
}

std::string safe_cell_text(std::string_view text) {
  auto clean = clean_cell_text(text);
  if (starts_like_a_formula(clean)) clean.insert(clean.begin(), '\'');
  return clean;
}

bool is_safe_cell_text(std::string_view text) noexcept {
  return text.size() < kExcelCellLimit && plain_ascii(text) && !starts_like_a_formula(text);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_xml_escaped(out, text);
  return out;
}

void append_xml_escaped(std::string& out, std::string_view text) {
  // Runs without a special character (nearly all of a cell) are appended whole.
  const auto special = [](unsigned char c) {
    return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '\r';
  };
  const auto next_special = [&](std::string_view rest) {
    return find_special_byte(
        rest,
#if defined(__SSE2__)
        [](__m128i bytes) {
          const auto is = [&](char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); };
          return _mm_movemask_epi8(_mm_or_si128(
              _mm_or_si128(_mm_or_si128(is('&'), is('<')), _mm_or_si128(is('>'), is('"'))),
              _mm_or_si128(is('\''), is('\r'))));
        },
#else
        nullptr,
#endif
        special);
  };
  for (std::size_t at = 0;;) {
    const auto run = next_special(text.substr(at));
    out.append(text.substr(at, run));
    at += run;
    if (at == text.size()) return;
    switch (text[at]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      // A literal CR in XML text is normalised to LF by every parser; the reference keeps it.
      default:
        out += "&#13;";
    }
    ++at;
  }
}

}  // namespace crmsync::folder
