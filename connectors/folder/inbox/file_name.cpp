#include "connectors/folder/inbox/file_name.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "connectors/folder/inbox/utf8_sequence.hpp"

namespace crmsync::folder {
namespace {

bool is_control(char32_t c) noexcept {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

// Bidirectional formatting characters: a name holding them can display as a different name
// ("invoice\u202Exslx.exe"), so they are escaped in logs and refused as input.
bool is_bidi_control(char32_t c) noexcept {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
         || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8_sequence(text, pos, c);
    if (length == 0) return false;
    pos += length;
  }
  return true;
}

std::string escape_for_log(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t pos = 0; pos < name.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8_sequence(name, pos, c);
    if (length == 0) {
      out += fmt::format("\\x{:02X}", static_cast<std::uint8_t>(name[pos]));
      ++pos;
      continue;
    }
    if (c == U'\\') {
      out += "\\\\";
    } else if (c < 0x80 && is_control(c)) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned>(c));
    } else if (is_control(c) || is_bidi_control(c)) {
      out += fmt::format("\\u{{{:04X}}}", static_cast<unsigned>(c));
    } else {
      out.append(name.substr(pos, length));
    }
    pos += length;
  }
  return out;
}

std::optional<std::string> check_file_name(std::string_view name) {
  if (name.empty()) return "the name is empty";
  for (std::size_t pos = 0; pos < name.size();) {
    char32_t c = 0;
    const std::size_t length = decode_utf8_sequence(name, pos, c);
    if (length == 0) return "the name is not valid UTF-8; rename the file";
    if (is_control(c)) return "the name contains control characters; rename the file";
    if (is_bidi_control(c)) return "the name contains text-direction characters; rename the file";
    pos += length;
  }
  return std::nullopt;
}

}  // namespace crmsync::folder
