#include "salesforce/csv.hpp"

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
        if (i >= text.size()) {
          bad_line = line;
          return false;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field.push_back(text[i++]);
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
      field.push_back(c);
      field_started = true;
      ++i;
    }
  }
  if (field_started || !row.empty()) end_row();
  return true;
}

void append_quoted(std::string& out, std::string_view value) {
  out.push_back('"');
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace sandbox::salesforce
