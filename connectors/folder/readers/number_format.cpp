#include "connectors/folder/readers/number_format.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdint>

namespace crmsync::folder {

std::string display_number(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  // Integers up to 2^53 are exact in a double: print every digit, no exponent.
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0)
    return fmt::format_int(static_cast<std::int64_t>(value)).str();
  std::string shortest = fmt::format("{}", value);  // shortest round-trip form
  if (shortest.find_first_of("eE") == std::string::npos) return shortest;
  std::string fixed = fmt::format("{:.17f}", value);
  if (fixed.find('.') != std::string::npos) {
    while (fixed.back() == '0')
      fixed.pop_back();
    if (fixed.back() == '.') fixed.pop_back();
  }
  return fixed;
}

std::string serial_to_iso(double serial, bool date1904) {
  using namespace std::chrono;
  if (!std::isfinite(serial) || serial < 0 || serial > 2958466) return display_number(serial);
  auto whole = static_cast<std::int64_t>(std::floor(serial));
  auto seconds = static_cast<std::int64_t>(std::llround((serial - std::floor(serial)) * 86400.0));
  if (seconds == 86400) {
    ++whole;
    seconds = 0;
  }
  if (!date1904 && whole == 60) return "1900-02-29";  // Excel's phantom day
  sys_days base = date1904 ? sys_days(year{1904} / 1 / 1) : sys_days(year{1899} / 12 / 31);
  if (!date1904 && whole > 60) --whole;  // serials after the phantom day are off by one
  const year_month_day ymd{base + days{whole}};
  std::string out =
      fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  if (seconds != 0)
    out += fmt::format("T{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return out;
}

bool is_date_format(int id, std::string_view code) {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47)
      || (id >= 50 && id <= 58))
    return true;
  if (id < 164 && code.empty()) return false;
  bool quoted = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
      continue;
    }
    switch (c) {
      case '"':
        quoted = true;
        break;
      case '\\':
      case '_':
      case '*':
        ++i;  // the next character is literal (or padding)
        break;
      case '[': {
        // [h], [mm], [ss] are elapsed-time formats; [Red], [$-409] are not dates by themselves.
        const auto close = code.find(']', i);
        if (close == std::string_view::npos) return false;
        const auto inner = code.substr(i + 1, close - i - 1);
        if (!inner.empty()
            && (inner[0] == 'h' || inner[0] == 'H' || inner[0] == 'm' || inner[0] == 'M'
                || inner[0] == 's' || inner[0] == 'S'))
          return true;
        i = close;
        break;
      }
      case ';':
        return false;  // only the first (positive) section decides
      case 'd':
      case 'D':
      case 'm':
      case 'M':
      case 'y':
      case 'Y':
      case 'h':
      case 'H':
      case 's':
      case 'S':
        return true;
      default:
        break;
    }
  }
  return false;
}

}  // namespace crmsync::folder
