#include "salesforce/values.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <mutex>

namespace sandbox::salesforce {
namespace {

bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool valid_date(int year, int month, int day) {
  if (year < 1700 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return !(month == 2 && day == 29 && !leap);
}

std::string format_utc(std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000", parts.tm_year + 1900,
                     parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                     epoch_ms % 1000);
}

}  // namespace

Record Record::of(const ObjectDef& object) {
  Record record;
  record.object = &object;
  record.values.resize(object.fields.size());
  return record;
}

const Value* Record::get(std::string_view name) const {
  const FieldDef* field = object->find_field(name);
  if (field == nullptr || field->name != name || field->index >= values.size()) return nullptr;
  return is_null(values[field->index]) ? nullptr : &values[field->index];
}

Value& Record::slot(const FieldDef& field) {
  if (values.size() < object->fields.size()) values.resize(object->fields.size());
  return values[field.index];
}

void write_value(json::Writer& out, const FieldDef& field, const Value& value) {
  if (const auto* flag = std::get_if<bool>(&value)) {
    out.boolean(*flag);
  } else if (const auto* number = std::get_if<double>(&value)) {
    if (field.type == FieldType::Int) {
      out.number(static_cast<std::int64_t>(std::llround(*number)));
    } else {
      out.decimal(*number);
    }
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    out.string(*text);
  } else {
    out.null();
  }
}

std::string value_text(const FieldDef& field, const Value& value) {
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "true" : "false";
  if (const auto* number = std::get_if<double>(&value)) {
    if (field.type == FieldType::Int) return fmt::format("{}", std::llround(*number));
    json::Writer writer;
    writer.decimal(*number);
    return writer.take();
  }
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  return "";
}

std::string now_datetime() {
  static std::mutex mutex;
  static std::int64_t last_ms = 0;
  static std::string last_text;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::lock_guard lock(mutex);
  // Many records are written within one millisecond: format each millisecond once, and within a
  // second rewrite only the milliseconds ("...T09:15:00.123+0000": positions 20-22).
  if (now <= last_ms && !last_text.empty()) return last_text;
  if (!last_text.empty() && now / 1000 == last_ms / 1000) {
    const auto millis = static_cast<int>(now % 1000);
    last_text[20] = static_cast<char>('0' + millis / 100);
    last_text[21] = static_cast<char>('0' + millis / 10 % 10);
    last_text[22] = static_cast<char>('0' + millis % 10);
  } else {
    last_text = format_utc(now);
  }
  last_ms = now;
  return last_text;
}

std::optional<std::string> normalize_date(std::string_view text) {
  if (text.size() == 11 && text.back() == 'Z') text.remove_suffix(1);
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, year)
      || !digits(text, 5, 2, month) || !digits(text, 8, 2, day) || !valid_date(year, month, day)) {
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::string> normalize_datetime(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ')
      || text[13] != ':' || text[16] != ':' || !digits(text, 0, 4, year)
      || !digits(text, 5, 2, month) || !digits(text, 8, 2, day) || !digits(text, 11, 2, hour)
      || !digits(text, 14, 2, minute) || !digits(text, 17, 2, second)
      || !valid_date(year, month, day) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int scale = 100;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int offset_minutes = 0;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone.empty()) {
    offset_minutes = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    int zone_hours = 0, zone_minutes = 0;
    const bool colon = zone.size() == 6 && zone[3] == ':';
    if (!(zone.size() == 5 || colon) || !digits(zone, 1, 2, zone_hours)
        || !digits(zone, colon ? 4 : 3, 2, zone_minutes)) {
      return std::nullopt;
    }
    offset_minutes = (zone[0] == '+' ? 1 : -1) * (zone_hours * 60 + zone_minutes);
  } else {
    return std::nullopt;
  }
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  const std::int64_t epoch = static_cast<std::int64_t>(timegm(&parts)) - offset_minutes * 60;
  return format_utc(epoch * 1000 + millis);
}

}  // namespace sandbox::salesforce
