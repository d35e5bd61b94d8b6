// mappings/transforms/date.cpp — dates as reps write them, out as ISO 8601 (2024-03-05):
// 2024-03-05, 03/05/2024, 5.3.24, "5 Mar 2024", "March 5, 2024", and Excel serial numbers (45356),
// which is what a date cell becomes when a reader cannot see its number format. The day/month
// order of ambiguous numeric dates is the admin's choice; a date whose first number is over 12 is
// unambiguous and read the only way it can be.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

enum class Order : std::uint8_t { mdy, dmy, ymd };

struct Token {
  std::string text;
  bool numeric = false;
};

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::string current;
  bool numeric = false;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back({current, numeric});
    current.clear();
  };
  for (char c : text) {
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !alpha) {
      flush();
      continue;
    }
    if (!current.empty() && digit != numeric) flush();
    numeric = digit;
    current.push_back(alpha ? static_cast<char>(c | 0x20) : c);
  }
  flush();
  return tokens;
}

std::optional<int> number_of(const Token& token) {
  if (!token.numeric || token.text.size() > 4) return std::nullopt;
  int value = 0;
  std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
  return value;
}

std::optional<unsigned> month_of(const std::string& word) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (word.size() < 3) return std::nullopt;
  for (unsigned i = 0; i < 12; ++i)
    if (word.starts_with(kMonths[i])) return i + 1;
  return std::nullopt;
}

// Two-digit years: 00-69 are 2000s, 70-99 the 1900s (Excel's own pivot is 29; birthdays and
// contract dates in CRM data favour a later one).
int full_year(const Token& token, int value) {
  if (token.text.size() > 2) return value;
  return value < 70 ? 2000 + value : 1900 + value;
}

std::optional<year_month_day> make_date(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::optional<year_month_day> from_excel_serial(std::string_view text) {
  double serial = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), serial);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  // 1955..2119: wide enough for any CRM date, narrow enough not to read an id or a year as a date.
  if (serial < 20000 || serial > 80000) return std::nullopt;
  // Serial 1 is 1900-01-01 and Excel counts a 29 Feb 1900 that never was: from March 1900 on,
  // day 0 is 1899-12-30.
  const auto days =
      std::chrono::sys_days{year{1899} / 12 / 30} + std::chrono::days{static_cast<long>(serial)};
  return year_month_day{days};
}

std::optional<year_month_day> parse_date(std::string_view text, Order order, bool serials) {
  if (serials)
    if (auto date = from_excel_serial(text)) return date;
  auto tokens = tokenize(text);
  // Drop a time of day (T14:30:00) and weekday names: only the first three tokens that form a
  // date matter.
  std::vector<Token> parts;
  for (const auto& token : tokens) {
    if (!token.numeric && !month_of(token.text)) {
      if (token.text == "t" && parts.size() == 3) break;
      continue;
    }
    parts.push_back(token);
    if (parts.size() == 3) break;
  }
  if (parts.size() != 3) return std::nullopt;
  // With a month name the other two are day and year, year being the 4-digit or last one.
  for (std::size_t i = 0; i < 3; ++i) {
    if (parts[i].numeric) continue;
    const auto m = month_of(parts[i].text);
    std::vector<Token> rest;
    for (std::size_t j = 0; j < 3; ++j)
      if (j != i) rest.push_back(parts[j]);
    if (!rest[0].numeric || !rest[1].numeric || !m) return std::nullopt;
    const bool year_first = rest[0].text.size() == 4;
    const auto& y = year_first ? rest[0] : rest[1];
    const auto& d = year_first ? rest[1] : rest[0];
    return make_date(full_year(y, *number_of(y)), static_cast<int>(*m), *number_of(d));
  }
  const auto a = number_of(parts[0]);
  const auto b = number_of(parts[1]);
  const auto c = number_of(parts[2]);
  if (!a || !b || !c) return std::nullopt;
  if (parts[0].text.size() == 4 || order == Order::ymd)
    return make_date(full_year(parts[0], *a), *b, *c);
  const int y = full_year(parts[2], *c);
  if (order == Order::mdy && *a <= 12) return make_date(y, *a, *b);
  if (order == Order::dmy && *b <= 12) return make_date(y, *b, *a);
  // The configured order cannot be right: read it the other way round.
  return order == Order::mdy ? make_date(y, *b, *a) : make_date(y, *a, *b);
}

class Date final : public Transform {
 public:
  Date(Order order, bool serials, Verdict on_invalid)
      : order_(order), serials_(serials), on_invalid_(on_invalid) {}

  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    const auto date = parse_date(value, order_, serials_);
    if (!date) {
      if (on_invalid_ == Verdict::ok) return {};
      return {.verdict = on_invalid_, .reason = "not a date: '" + value + "'"};
    }
    char buffer[16];
    const auto written =
        std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date->year()),
                      static_cast<unsigned>(date->month()), static_cast<unsigned>(date->day()));
    value.assign(buffer, static_cast<std::size_t>(written));
    return {};
  }

 private:
  Order order_;
  bool serials_;
  Verdict on_invalid_;
};
}  // namespace

TransformDecl date_transform() {
  return {
      .name = "date",
      .doc =
          "a date in any common spelling or as an Excel serial number, out as ISO 8601 "
          "(2024-03-05)",
      .params = {{.name = "order",
                  .kind = ParamKind::choice,
                  .default_value = "mdy",
                  .required = false,
                  .allowed = {"mdy", "dmy", "ymd"},
                  .doc = "how to read ambiguous numeric dates such as 03/05/2024 (mdy: "
                         "March 5, as US Excel writes; dmy: 3 May, as European Excel writes)"},
                 {.name = "excel_serials",
                  .kind = ParamKind::boolean,
                  .default_value = "true",
                  .required = false,
                  .allowed = {},
                  .doc = "read a bare number between 20000 and 80000 as an Excel date serial"},
                 on_invalid_param("reject_field", "date")},
      .make = [](const TransformArgs& args) -> TransformResult {
        const auto& order = args.text("order");
        const Order parsed = order == "dmy" ? Order::dmy : order == "ymd" ? Order::ymd : Order::mdy;
        return std::make_unique<Date>(parsed, args.flag("excel_serials"),
                                      verdict_from(args.text("on_invalid")));
      },
      .match_only = false};
}
}  // namespace crmsync::mappings
