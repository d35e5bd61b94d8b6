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

// ASCII that XML allows: nearly every cell, copied whole rather than a character at a time
// (a 100k-row report cleans a million cells, twice).
bool plain_ascii(std::string_view text) noexcept {
  for (const char byte : text) {
    const auto c = static_cast<unsigned char>(byte);
    if (c >= 0x80 || (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D)) return false;
  }
  return true;
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
  // Runs without a special character (nearly all of a cell) are appended whole. A plain loop:
  // find_first_of searches its set once per character of the text.
  const auto special = [](char c) {
    return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '\r';
  };
  std::size_t run = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!special(text[at])) continue;
    out.append(text.substr(run, at - run));
    run = at + 1;
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
  }
  out.append(text.substr(run));
}

}  // namespace crmsync::folder
