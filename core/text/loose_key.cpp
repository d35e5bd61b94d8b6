#include "core/text/loose_key.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>
#include <cstdint>

namespace crmsync {

std::string loose_key(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  std::int32_t i = 0;
  while (i < length) {
    // Most names are ASCII: no ICU call for them.
    if (bytes[i] < 0x80) {
      const auto c = static_cast<unsigned char>(bytes[i++]);
      if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0 || !u_isalnum(c)) continue;
    const UChar32 folded = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    char buffer[U8_MAX_LENGTH];
    std::int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), n, U8_MAX_LENGTH, folded, error);
    if (!error) out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace crmsync
