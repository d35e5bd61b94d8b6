#include "core/text/json_writer.hpp"

#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "core/io/write_all.hpp"
#include "core/text/utf8.hpp"

namespace crmsync {

namespace {
// Bytes that need more than a copy: JSON's escapes, DEL (which garbles terminals that show
// previews), and every byte of a multi-byte sequence (checked as UTF-8).
bool needs_care(unsigned char c) {
  return c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
}

#if defined(__SSE2__)
// Bit k set where byte k of the 16 needs care.
unsigned care_mask(const char* bytes_at) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes_at));
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  // Compared as signed bytes, 0x80-0xFF are negative: below the space, with the controls.
  const __m128i special =
      _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(bytes, space), _mm_cmpeq_epi8(bytes, del)),
                   _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
  return static_cast<unsigned>(_mm_movemask_epi8(special));
}
#endif

// How many bytes from the start of `text` go out as they are. Sixteen at a time where SSE2 is
// (x86-64 always): plans and reports are mostly such text, and a byte at a time this was the
// largest CPU cost of a 100k-row sync (8% of it, 140 MB of JSON). Most values are shorter than
// sixteen bytes: those are read in one load too when it stays within their memory page, and
// the bytes past their end are not looked at (hence no AddressSanitizer here: it would see a
// read past the string that cannot fault and whose bytes are masked off).
__attribute__((no_sanitize_address)) std::size_t plain_length(std::string_view text) {
  std::size_t i = 0;
#if defined(__SSE2__)
  constexpr std::uintptr_t kPage = 4096;
  for (; i + 16 <= text.size(); i += 16)
    if (const unsigned mask = care_mask(text.data() + i); mask != 0)
      return i + static_cast<std::size_t>(__builtin_ctz(mask));
  const auto left = text.size() - i;
  if (left > 0 && (reinterpret_cast<std::uintptr_t>(text.data() + i) % kPage) <= kPage - 16) {
    const unsigned mask = care_mask(text.data() + i) | (0xFFFFu << left);
    return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < text.size() && !needs_care(static_cast<unsigned char>(text[i])))
    ++i;
  return i;
}

// Appends the escape of one byte that needs care, or of the UTF-8 sequence it starts; returns
// how many bytes of `text` (which starts with it) it stood for.
std::size_t append_escaped(std::string& out, std::string_view text) {
  const auto c = static_cast<unsigned char>(text[0]);
  if (c < 0x80) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:  // the other controls, and DEL
        out += fmt::format("\\u{:04x}", c);
    }
    return 1;
  }
  // Copy a well-formed multi-byte sequence whole; replace an ill-formed byte.
  std::size_t length = 1;
  while (length < text.size() && length < 4
         && (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80)
    ++length;
  if (is_valid_utf8(text.substr(0, length))) {
    out.append(text.substr(0, length));
    return length;
  }
  out += "\xEF\xBF\xBD";
  return 1;
}
}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  std::size_t plain = plain_length(text);
  const std::size_t at = out.size();
  if (plain == text.size()) {  // nearly always: the quotes and one copy
    out.resize(at + text.size() + 2);
    char* to = out.data() + at;
    to[0] = '"';
    std::memcpy(to + 1, text.data(), text.size());
    to[text.size() + 1] = '"';
    return;
  }
  out.reserve(at + text.size() + 8);
  out += '"';
  for (std::size_t i = 0;;) {
    out.append(text.data() + i, plain);
    i += plain;
    if (i == text.size()) break;
    i += append_escaped(out, text.substr(i));
    plain = plain_length(text.substr(i));
  }
  out += '"';
}

std::string json_string_literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

void JsonWriter::flush_to(std::ostream& sink, std::size_t at_least) {
  if (out_.size() < at_least) return;
  sink.write(out_.data(), static_cast<std::streamsize>(out_.size()));
  out_.clear();
}

bool JsonWriter::flush_to(int fd, std::size_t at_least) {
  if (out_.size() < at_least) return true;
  if (!write_all(fd, out_)) return false;
  out_.clear();
  return true;
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  separate();
  append_json_string(out_, text);
  return *this;
}

void append_json_integer(std::string& out, std::int64_t number) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
}

JsonWriter& JsonWriter::value(std::int64_t number) {
  separate();
  append_json_integer(out_, number);
  return *this;
}

void append_json_number(std::string& out, double number) {
  if (std::isfinite(number))
    fmt::format_to(std::back_inserter(out), "{}", number);
  else
    out += "null";
}

JsonWriter& JsonWriter::value(double number) {
  separate();
  append_json_number(out_, number);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
  separate();
  out_ += flag ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

}  // namespace crmsync
