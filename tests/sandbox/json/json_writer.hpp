// A small streaming JSON writer: the sandbox emits many fixed shapes, and writing them directly is
// both faster and easier to compare with the reference than building a DOM first.
// Commas are inserted automatically; callers only open, name and close.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::json {

class Writer {
 public:
  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view name);
  Writer& string(std::string_view value);
  Writer& number(std::int64_t value);
  // Salesforce prints doubles with at least one decimal ("23.0").
  Writer& decimal(double value);
  Writer& boolean(bool value);
  Writer& null();
  // Inserts pre-encoded JSON as one value.
  Writer& raw(std::string_view json);

  // Convenience: key + value.
  Writer& field(std::string_view name, std::string_view value) { return key(name).string(value); }
  Writer& field(std::string_view name, const char* value) { return key(name).string(value); }
  Writer& field(std::string_view name, bool value) { return key(name).boolean(value); }
  Writer& field(std::string_view name, int value) { return key(name).number(value); }
  Writer& field(std::string_view name, std::int64_t value) { return key(name).number(value); }

  [[nodiscard]] const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  std::string out_;
  // One entry per open container: true once it holds a value (so the next one needs a comma).
  std::vector<bool> has_value_;
  bool after_key_ = false;
};

void append_escaped(std::string& out, std::string_view text);

}  // namespace sandbox::json
