// mappings/transforms/simple_case.hpp — Unicode-aware helpers the text transforms share. ICU does
// the real work; the ASCII fast paths exist because most cells are plain ASCII and the mapping
// must run at a million rows per second.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::mappings {

bool is_ascii(std::string_view text) noexcept;
std::string to_lower_unicode(std::string_view text);
// In place, without allocating when the text is ASCII.
void lower_in_place(std::string& text);
std::string to_upper_unicode(std::string_view text);
// Strips ASCII and Unicode white space (incl. NBSP, which Excel exports love) at both ends.
void trim_in_place(std::string& value);
// core/text/loose_key.hpp's rule, shared with the readers' header detection.
std::string loose_key(std::string_view text);

}  // namespace crmsync::mappings
