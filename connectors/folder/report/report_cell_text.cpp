#include "connectors/folder/report/report_cell_text.hpp"

#include <cstdint>

#include "connectors/folder/inbox/utf8_sequence.hpp"

namespace crmsync::folder {
namespace {

constexpr std::size_t kExcelCellLimit = 32767;             // UTF-16 code units per cell
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026

bool allowed_in_xml(char32_t c) noexcept {
  if (c < 0x20) return c == 0x09 || c == 0x0A || c == 0x0D;
  return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

std::string clean_cell_text(std::string_view text) {
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
  if (!text.empty()) {
    switch (text.front()) {
      case '=':
      case '+':
      case '-':
      case '@':
      case '\t':
      case '\r':
        return "'" + std::string(text);
      default:
        break;
    }
  }
  return std::string(text);
}

std::string safe_cell_text(std::string_view text) {
  return neutralize_formula(clean_cell_text(text));
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
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
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace crmsync::folder
