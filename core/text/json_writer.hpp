// core/text/json_writer.hpp — writes JSON into a string, escaping as RFC 8259 requires. The
// project parses JSON with simdjson, which does not write; this is the small writer every output
// (plan --json, request bodies, previews) shares. Hand-rolled: a few dozen lines, no allocation
// per value, and no DOM to build first.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace crmsync {

// Appends `text` as a JSON string literal (quotes included). Invalid UTF-8 bytes become U+FFFD
// so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);
std::string json_string_literal(std::string_view text);
// Appends `number` in the shortest form that reads back; null when it is not finite (JSON has
// no NaN or infinity).
void append_json_number(std::string& out, double number);
// Appends `number` in decimal, as JsonWriter::value() writes it.
void append_json_integer(std::string& out, std::int64_t number);

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(std::uint32_t number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  // Inserts already-serialised JSON as one value.
  JsonWriter& raw(std::string_view json);

  // Room for `bytes` more, when the caller can tell: a large document then grows once instead of
  // copying itself as it doubles.
  void reserve(std::size_t bytes) { out_.reserve(out_.size() + bytes); }
  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  // Moves what is written so far to `sink` once it holds `at_least` bytes, so a large document
  // streams out instead of growing in memory.
  void flush_to(std::ostream& sink, std::size_t at_least = 0);
  // The same into a file descriptor, written whole (short writes and EINTR retried); false when
  // the descriptor refused it (errno says why: a full disk, a closed pipe).
  bool flush_to(int fd, std::size_t at_least = 0);

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: no value written yet
  bool after_key_ = false;
};

}  // namespace crmsync
