#include "connectors/salesforce/bulk_csv.hpp"

#include <deque>

namespace crmsync::salesforce {

namespace {

// One field's text: a view while it is one contiguous span of the document, else a copy that the
// pieces are appended to.
class FieldText {
 public:
  FieldText(std::string_view text, std::deque<std::string>& scratch)
      : text_(text), scratch_(scratch) {}
  void add(std::size_t from, std::size_t to) {
    if (from == to) return;
    if (owned_ == nullptr) {
      if (!started_) {
        started_ = true;
        begin_ = from;
        end_ = to;
        return;
      }
      if (end_ == from) {
        end_ = to;
        return;
      }
      owned_ = &scratch_.emplace_back(text_.substr(begin_, end_ - begin_));
    }
    owned_->append(text_.substr(from, to - from));
  }
  std::string_view view() const {
    if (owned_ != nullptr) return *owned_;
    return started_ ? text_.substr(begin_, end_ - begin_) : std::string_view();
  }
  void clear() {
    started_ = false;
    owned_ = nullptr;
  }

 private:
  std::string_view text_;
  std::deque<std::string>& scratch_;
  bool started_ = false;
  std::size_t begin_ = 0, end_ = 0;
  std::string* owned_ = nullptr;
};

}  // namespace

void for_each_csv_row(std::string_view text, const CsvRowHandler& on_row) {
  std::vector<std::string_view> row;
  std::deque<std::string> scratch;  // never moves its strings: the views stay valid
  FieldText field(text, scratch);
  bool row_started = false;
  auto end_field = [&] {
    row.push_back(field.view());
    field.clear();
  };
  auto end_row = [&] {
    on_row(row);
    row.clear();
    scratch.clear();
    row_started = false;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const auto special = text.find_first_of(",\"\r\n", i);
    const auto stop = special == std::string_view::npos ? text.size() : special;
    if (stop > i) row_started = true;
    field.add(i, stop);
    if (stop == text.size()) break;
    i = stop + 1;
    switch (text[stop]) {
      case '"': {
        row_started = true;
        // Quoted: up to the closing quote, a doubled quote standing for one.
        for (;;) {
          const auto quote = text.find('"', i);
          if (quote == std::string_view::npos) {
            field.add(i, text.size());
            i = text.size();
            break;
          }
          if (quote + 1 < text.size() && text[quote + 1] == '"') {
            field.add(i, quote + 1);
            i = quote + 2;
            continue;
          }
          field.add(i, quote);
          i = quote + 1;
          break;
        }
        break;
      }
      case ',':
        row_started = true;
        end_field();
        break;
      case '\r':
        break;
      case '\n':
        end_field();
        end_row();
        break;
    }
  }
  if (row_started || !row.empty()) {
    end_field();
    end_row();
  }
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  for_each_csv_row(text, [&](std::span<const std::string_view> fields) {
    rows.emplace_back(fields.begin(), fields.end());
  });
  return rows;
}

}  // namespace crmsync::salesforce
