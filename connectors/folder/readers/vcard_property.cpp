#include "connectors/folder/readers/vcard_property.hpp"

#include <algorithm>
#include <cctype>

#include "connectors/folder/readers/encoding_detector.hpp"
#include "connectors/folder/readers/text_decoder.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Splits on `separator` outside double quotes (3.0 allows quoted parameter values).
std::vector<std::string_view> split_params(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    if (s[i] == separator && !quoted) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(s.substr(start));
  return parts;
}

// Also turns CRLF (quoted-printable's =0D=0A) into LF, the line break every other reader yields.
std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char next = s[++i];
      out.push_back(next == 'n' || next == 'N' ? '\n' : next);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string to_utf8(const std::string& bytes, const std::string& charset) {
  if (!charset.empty()) {
    try {
      return TextDecoder::to_utf8(bytes, charset.c_str());
    } catch (const Error&) {
      // An unknown charset name falls through to detection rather than losing the card.
    }
  }
  if (valid_utf8_prefix(bytes) == bytes.size()) return bytes;
  return TextDecoder::to_utf8(bytes, "windows-1252");
}

}  // namespace

std::string decode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    if (i + 1 == text.size()) break;  // a soft break left at the very end
    out.push_back('=');               // a stray '=' is kept as written
  }
  return out;
}

bool is_quoted_printable_line(std::string_view line) {
  const std::size_t colon = line.find(':');
  return colon != std::string_view::npos
         && upper(line.substr(0, colon)).find("QUOTED-PRINTABLE") != std::string::npos;
}

std::optional<VCardProperty> parse_vcard_line(std::string_view line) {
  bool quoted = false;
  std::size_t colon = std::string_view::npos;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon == std::string_view::npos) return std::nullopt;
  VCardProperty property;
  property.raw_value = std::string(line.substr(colon + 1));
  const auto parts = split_params(line.substr(0, colon), ';');
  std::string name = upper(parts[0]);
  if (const auto dot = name.rfind('.'); dot != std::string::npos) name.erase(0, dot + 1);
  property.name = std::move(name);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      const std::string bare = upper(part);
      if (bare == "QUOTED-PRINTABLE" || bare == "BASE64" || bare == "8BIT")
        property.encoding = bare;
      else
        property.types.insert(bare);
      continue;
    }
    const std::string key = upper(part.substr(0, eq));
    std::string_view value = part.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (key == "TYPE") {
      for (const auto type : split_params(value, ','))
        property.types.insert(upper(type));
    } else if (key == "ENCODING") {
      property.encoding = upper(value);
    } else if (key == "CHARSET") {
      property.charset = std::string(value);
    } else if (key == "PREF") {
      property.types.insert("PREF");
    }
  }
  return property;
}

std::vector<std::string> decode_vcard_value(const VCardProperty& property, bool structured) {
  if (property.encoding == "B" || property.encoding == "BASE64") return {};
  std::string bytes = property.encoding == "QUOTED-PRINTABLE"
                          ? decode_quoted_printable(property.raw_value)
                          : property.raw_value;
  const std::string text = to_utf8(bytes, property.charset);
  std::vector<std::string> components;
  if (!structured) {
    components.push_back(unescape(text));
    return components;
  }
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ';') {
      components.push_back(unescape(std::string_view(text).substr(start, i - start)));
      start = i + 1;
    } else if (text[i] == '\\') {
      ++i;
    }
  }
  return components;
}

}  // namespace crmsync::folder
