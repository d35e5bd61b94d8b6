#include "core/text/csv_field.hpp"

#include "core/text/byte_scan.hpp"

namespace crmsync {

void append_csv_field(std::string& out, std::string_view text) {
  const auto special = [](unsigned char c) {
    return c == ',' || c == '"' || c == '\r' || c == '\n';
  };
  const bool quote =
      !text.empty()
      && (text.front() == ' ' || text.back() == ' '
          || find_special_byte(
                 text,
#if defined(__SSE2__)
                 [](__m128i bytes) {
                   const auto is = [&](char c) { return _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)); };
                   return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(is(','), is('"')),
                                                         _mm_or_si128(is('\r'), is('\n'))));
                 },
#else
                 nullptr,
#endif
                 special)
                 < text.size());
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string csv_field(std::string_view text) {
  std::string out;
  append_csv_field(out, text);
  return out;
}

}  // namespace crmsync
