#include "json/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/text/json_writer.hpp"

namespace sandbox::json {

// The project's one JSON escaping (core/text/json_writer.hpp), which copies runs of plain ASCII
// whole: nearly every string the sandbox writes is one such run.
void append_escaped(std::string& out, std::string_view text) {
  crmsync::append_json_string(out, text);
}

void Writer::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_value_.empty()) {
    if (has_value_.back()) out_.push_back(',');
    has_value_.back() = true;
  }
}

Writer& Writer::begin_object() {
  before_value();
  out_.push_back('{');
  has_value_.push_back(false);
  return *this;
}

Writer& Writer::end_object() {
  out_.push_back('}');
  has_value_.pop_back();
  return *this;
}

Writer& Writer::begin_array() {
  before_value();
  out_.push_back('[');
  has_value_.push_back(false);
  return *this;
}

Writer& Writer::end_array() {
  out_.push_back(']');
  has_value_.pop_back();
  return *this;
}

Writer& Writer::key(std::string_view name) {
  before_value();
  append_escaped(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

Writer& Writer::string(std::string_view value) {
  before_value();
  append_escaped(out_, value);
  return *this;
}

Writer& Writer::number(std::int64_t value) {
  before_value();
  out_ += fmt::format("{}", value);
  return *this;
}

Writer& Writer::decimal(double value) {
  before_value();
  if (!std::isfinite(value)) {
    out_ += "null";
  } else if (value == std::floor(value) && std::fabs(value) < 1e15) {
    out_ += fmt::format("{:.1f}", value);
  } else {
    out_ += fmt::format("{}", value);
  }
  return *this;
}

Writer& Writer::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
  return *this;
}

Writer& Writer::null() {
  before_value();
  out_ += "null";
  return *this;
}

Writer& Writer::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

}  // namespace sandbox::json
