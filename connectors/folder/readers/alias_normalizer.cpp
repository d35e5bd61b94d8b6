#include "connectors/folder/readers/alias_normalizer.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace crmsync::folder {

std::string normalize_alias(std::string_view column) {
  std::string out;
  out.reserve(column.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(column.data());
  const auto length = static_cast<std::int32_t>(column.size());
  std::int32_t i = 0;
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) continue;  // invalid bytes never make two names equal
    if (!u_isalnum(c)) continue;
    const UChar32 folded = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    char buffer[U8_MAX_LENGTH];
    std::int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<std::uint8_t*>(buffer), n, U8_MAX_LENGTH, folded, error);
    if (!error) out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace crmsync::folder
