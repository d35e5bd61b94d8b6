#include "core/text/json_writer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>

#include "core/io/write_all.hpp"
#include "core/text/utf8.hpp"

namespace crmsync {

namespace {
// Printable ASCII other than '"' and '\\': copied as is. Plans and reports are mostly such text,
// so runs of it go out in one append rather than byte by byte.
bool plain_ascii(unsigned char c) {
  return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}
}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t run = i;
    while (run < text.size() && plain_ascii(static_cast<unsigned char>(text[run])))
      ++run;
    if (run > i) {
      out.append(text.data() + i, run - i);
      i = run;
      if (i == text.size()) break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
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
        default:
          // DEL is legal JSON but garbles terminals that show previews.
          if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\u{:04x}", c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Copy a well-formed multi-byte sequence whole; replace an ill-formed byte.
    std::size_t length = 1;
    while (i + length < text.size() && length < 4
           && (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80)
      ++length;
    const auto sequence = text.substr(i, length);
    if (is_valid_utf8(sequence)) {
      out.append(sequence);
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
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
