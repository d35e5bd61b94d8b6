// connectors/folder/readers/vcard_property.hpp — one unfolded vCard content line taken apart:
// group, name, parameters (2.1's bare `;WORK;VOICE` and 3.0's `TYPE=WORK,VOICE` alike) and the
// value decoded to UTF-8 (quoted-printable, CHARSET, escapes). Hand-rolled: no Debian-packaged
// library parses vCard 2.1's quoted-printable with per-property charsets.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace crmsync::folder {

struct VCardProperty {
  std::string name;             // upper case, group removed ("item1.EMAIL" -> "EMAIL")
  std::set<std::string> types;  // upper case: WORK, CELL, PREF, ...
  std::string encoding;         // upper case: QUOTED-PRINTABLE, B, BASE64, or empty
  std::string charset;
  std::string raw_value;  // as in the file, after unfolding
};

// nullopt when the line has no ':' (not a property).
std::optional<VCardProperty> parse_vcard_line(std::string_view line);

// True when the line's parameters say quoted-printable (its soft line breaks must be joined).
bool is_quoted_printable_line(std::string_view line);

// The value as UTF-8 text components: split on unescaped ';' for structured properties (N, ADR,
// ORG), unescaped (\n \, \; \\). Binary values (PHOTO;ENCODING=b) give nothing.
std::vector<std::string> decode_vcard_value(const VCardProperty& property, bool structured);

std::string decode_quoted_printable(std::string_view text);

}  // namespace crmsync::folder
