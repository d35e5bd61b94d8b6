#include "connectors/folder/readers/xml_references.hpp"

namespace crmsync::folder {

namespace {

// XML 1.0's Char production: what a character reference may name.
bool is_xml_char(std::uint32_t c) noexcept {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
         || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

}  // namespace

char* put_utf8(char* out, std::uint32_t c) noexcept {
  if (c < 0x80) {
    *out++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *out++ = static_cast<char>(0xC0 | (c >> 6));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (c >> 12));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (c >> 18));
    *out++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

bool xml_reference_value(std::string_view name, std::uint32_t& c) noexcept {
  if (name == "lt")
    c = '<';
  else if (name == "gt")
    c = '>';
  else if (name == "amp")
    c = '&';
  else if (name == "quot")
    c = '"';
  else if (name == "apos")
    c = '\'';
  else if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return false;
    std::uint32_t value = 0;
    for (const char d : digits) {
      std::uint32_t v = 0;
      if (d >= '0' && d <= '9')
        v = static_cast<std::uint32_t>(d - '0');
      else if (hex && d >= 'a' && d <= 'f')
        v = static_cast<std::uint32_t>(d - 'a' + 10);
      else if (hex && d >= 'A' && d <= 'F')
        v = static_cast<std::uint32_t>(d - 'A' + 10);
      else
        return false;
      value = value * (hex ? 16 : 10) + v;
    }
    if (!is_xml_char(value)) return false;
    c = value;
  } else {
    return false;
  }
  return true;
}

}  // namespace crmsync::folder
