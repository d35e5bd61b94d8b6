// connectors/folder/readers/xml_references.hpp — the references XML defines without a DTD (&lt;
// &gt; &amp; &quot; &apos;, &#233; &#xE9;) and UTF-8 output, for the worksheet scanner.
#pragma once

#include <cstdint>
#include <string_view>

namespace crmsync::folder {

// The character `name` (between '&' and ';') stands for; false when XML defines no such entity
// or the reference names no character XML allows.
bool xml_reference_value(std::string_view name, std::uint32_t& c) noexcept;

// Writes the UTF-8 of `c` (at most 4 bytes) and returns the position after it.
char* put_utf8(char* out, std::uint32_t c) noexcept;

}  // namespace crmsync::folder
