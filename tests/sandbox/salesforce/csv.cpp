#include "salesforce/csv.hpp"

#include <algorithm>

namespace sandbox::salesforce {

bool parse_csv(std::string_view text, char delimiter, std::vector<CsvRow>& rows,
               std::size_t& bad_line) {
  // A UTF-8 byte order mark (Excel writes one) is not part of the first header name.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvRow row;
  std::string field;
  std::size_t line = 1;
  std::size_t i = 0;
  bool field_started = false;
  const auto end_row = [&] {
    row.push_back(std::move(field));
    field.clear();
    if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
    row.clear();
    field_started = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && !field_started) {
      ++i;
      for (;;) {
        // Copies the run up to the next quote whole (Bulk uploads are hundreds of MB at most).
        const std::size_t quote = std::min(text.find('"', i), text.size());
        line += static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                       text.begin() + static_cast<std::ptrdiff_t>(quote), '\n'));
        field.append(text.substr(i, quote - i));
        i = quote;
        if (i >= text.size()) {
          bad_line = line;
          return false;
        }
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      field_started = true;
      if (i < text.size() && text[i] != delimiter && text[i] != '\n' && text[i] != '\r') {
        bad_line = line;
        return false;
      }
      continue;
    }
    if (c == delimiter) {
      row.push_back(std::move(field));
      field.clear();
      field_started = false;
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      end_row();
      i += 2;
      ++line;
    } else if (c == '\n') {
      end_row();
      ++i;
      ++line;
    } else if (c == '"') {
      bad_line = line;
      return false;
    } else {
      // An unquoted run: up to the next delimiter, line break or (misplaced) quote.
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != delimiter && text[end] != '\n' && text[end] != '"'
             && !(text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n')) {
        ++end;
      }
      field.append(text.substr(i, end - i));
      field_started = true;
      i = end;
    }
  }
  if (field_started || !row.empty()) end_row();
  return true;
}

void append_quoted(std::string& out, std::string_view value) {
  out.push_back('"');
  // Copies the runs between quotes whole: result CSVs echo every uploaded cell.
  for (auto quote = value.find('"'); quote != std::string_view::npos; quote = value.find('"')) {
    out.append(value.substr(0, quote + 1));
    out.push_back('"');
    value.remove_prefix(quote + 1);
  }
  out.append(value);
  out.push_back('"');
}

}  // namespace sandbox::salesforce
