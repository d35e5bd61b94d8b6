#include "core/text/json_writer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>

#include "core/io/write_all.hpp"
#include "core/text/byte_scan.hpp"
#include "core/text/utf8.hpp"

namespace crmsync {

namespace {
// Bytes that need more than a copy: JSON's escapes, DEL (which garbles terminals that show
// previews), and every byte of a multi-byte sequence (checked as UTF-8).
bool needs_care(unsigned char c) {
  return c < 0x20 || c >= 0x7F || c == '"' || c == '\\';
}

// How many bytes from the start of `text` go out as they are.
std::size_t plain_length(std::string_view text) {
  return find_special_byte(
      text,
#if defined(__SSE2__)
      [](__m128i bytes) {
        // Compared as signed bytes, 0x80-0xFF are negative: below the space, with the controls.
        const __m128i below_space = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
        const __m128i del = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(0x7F));
        const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
        const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
        return _mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(below_space, del), _mm_or_si128(quote, backslash)));
      },
#else
      nullptr,
#endif
      needs_care);
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
      default: {  // the other controls (row keys join their values with 0x1F), and DEL
        // Not through fmt: a 100k-row sync escapes a few hundred thousand of them.
        constexpr std::string_view kHex = "0123456789abcdef";
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
      }
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
