#include "salesforce/csv.hpp"

#include <algorithm>

namespace sandbox::salesforce {

namespace {

// The cell being read: a view of the text while it is one run of it, a copy once a doubled quote
// (or a quoted part followed by a stray '\r' run) makes it several.
class CellBuilder {
 public:
  explicit CellBuilder(std::list<std::string>& unescaped) : unescaped_(unescaped) {}

  void add(std::string_view piece) {
    if (pieces_++ == 0) {
      view_ = piece;
      return;
    }
    if (copy_ == nullptr) copy_ = &unescaped_.emplace_back(view_);
    copy_->append(piece);
  }
  std::string_view take() {
    const std::string_view cell = copy_ != nullptr ? std::string_view(*copy_) : view_;
    view_ = {};
    copy_ = nullptr;
    pieces_ = 0;
    return cell;
  }

 private:
  std::list<std::string>& unescaped_;
  std::string_view view_;
  std::string* copy_ = nullptr;
  std::size_t pieces_ = 0;
};

}  // namespace

bool parse_csv(std::string_view text, char delimiter, CsvTable& table, std::size_t& bad_line) {
  // A UTF-8 byte order mark (Excel writes one) is not part of the first header name.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  CsvRow row;
  CellBuilder field(table.unescaped);
  std::size_t line = 1;
  std::size_t i = 0;
  bool field_started = false;
  const auto end_row = [&] {
    row.push_back(field.take());
    if (!(row.size() == 1 && row[0].empty())) {
      const std::size_t width = row.size();
      table.rows.push_back(std::move(row));
      row.clear();
      row.reserve(width);  // the next row likely has as many cells
    }
    row.clear();
    field_started = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && !field_started) {
      ++i;
      for (;;) {
        const std::size_t quote = std::min(text.find('"', i), text.size());
        line += static_cast<std::size_t>(
            std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                       text.begin() + static_cast<std::ptrdiff_t>(quote), '\n'));
        if (quote >= text.size()) {
          bad_line = line;
          return false;
        }
        if (quote + 1 < text.size() && text[quote + 1] == '"') {
          field.add(text.substr(i, quote + 1 - i));  // the run and one of the doubled quotes
          i = quote + 2;
          continue;
        }
        field.add(text.substr(i, quote - i));
        i = quote + 1;
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
      row.push_back(field.take());
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
      field.add(text.substr(i, end - i));
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
