// connectors/folder/readers/number_format.hpp — how a spreadsheet number reads as text: plain
// digits for phones and ids Excel turned into numbers (never "7.49E+09" or "7492439303.0"), and
// serial dates as ISO 8601 in either of Excel's date systems.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::folder {

std::string display_number(double value);

// Serial day number to "YYYY-MM-DD" (or "YYYY-MM-DDTHH:MM:SS" when it has a time of day). The
// 1900 system keeps Excel's Lotus bug: serial 60 is the 29 February 1900 that never was.
std::string serial_to_iso(double serial, bool date1904);

// Whether a number format shows a date or time: built-in ids 14-22, 27-36, 45-47, 50-58, or a
// format code with d, m, y, h or s outside quotes, escapes and [colour] brackets.
bool is_date_format(int id, std::string_view code);

}  // namespace crmsync::folder
