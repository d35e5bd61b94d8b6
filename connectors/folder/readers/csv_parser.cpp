#include "connectors/folder/readers/csv_parser.hpp"

#include <cstring>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

// Re-reading the lines an unterminated quote swallowed is quadratic in the worst case (every line
// opens a quote), so it is bounded: beyond these, the rest of the file is one broken row.
constexpr int kMaxRecoveries = 64;
constexpr std::size_t kMaxRecoveryBytes = 4u << 20;

}  // namespace

CsvParser::CsvParser(char delimiter, std::uint64_t max_record_bytes, std::uint32_t max_columns,
                     RowHandler handler)
    : delimiter_(delimiter),
      max_record_bytes_(max_record_bytes),
      max_columns_(max_columns),
      handler_(std::move(handler)) {}

void CsvParser::grow(std::size_t n) {
  record_bytes_ += n;
  if (record_bytes_ > max_record_bytes_)
    throw Error(ErrorCategory::input,
                "row " + std::to_string(row_ + 1) + " is longer than "
                    + std::to_string(max_record_bytes_ >> 20)
                    + " MB: the file is not a table crmsync can read (a binary file, or a quote "
                      "that never closes)");
}

void CsvParser::end_field() {
  if (fields_.size() >= max_columns_) {
    too_many_columns_ = true;
    field_.clear();
  } else {
    fields_.push_back(std::move(field_));
    field_.clear();
  }
  state_ = State::field_start;
}

void CsvParser::reset_record() {
  fields_.clear();
  field_.clear();
  record_bytes_ = 0;
  too_many_columns_ = false;
  state_ = State::field_start;
}

void CsvParser::end_record() {
  end_field();
  CsvRow row;
  row.row = ++row_;
  if (too_many_columns_) {
    row.error = "more than " + std::to_string(max_columns_) + " columns";
  } else {
    row.fields = std::move(fields_);
  }
  reset_record();
  handler_(std::move(row));
}

void CsvParser::feed(std::string_view text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (*p == '\n') {
        ++p;
        continue;
      }
    }
    switch (state_) {
      case State::field_start:
        if (*p == '"') {
          state_ = State::quoted;
          quote_column_ = static_cast<std::uint32_t>(fields_.size() + 1);
          ++p;
          continue;
        }
        state_ = State::unquoted;
        [[fallthrough]];
      case State::unquoted: {
        const char* start = p;
        while (p < end && *p != delimiter_ && *p != '\n' && *p != '\r')
          ++p;
        grow(static_cast<std::size_t>(p - start));
        field_.append(start, p);
        if (p == end) return;
        const char c = *p++;
        if (c == delimiter_) {
          end_field();
        } else {
          skip_lf_ = c == '\r';
          end_record();
        }
        break;
      }
      case State::quoted: {
        const char* start = p;
        const void* quote = std::memchr(p, '"', static_cast<std::size_t>(end - p));
        p = quote ? static_cast<const char*>(quote) : end;
        grow(static_cast<std::size_t>(p - start));
        field_.append(start, p);
        if (p == end) return;
        ++p;
        state_ = State::quote_in_quoted;
        break;
      }
      case State::quote_in_quoted: {
        const char c = *p;
        if (c == '"') {
          field_.push_back('"');
          state_ = State::quoted;
          ++p;
        } else if (c == delimiter_) {
          ++p;
          end_field();
        } else if (c == '\n' || c == '\r') {
          ++p;
          skip_lf_ = c == '\r';
          end_record();
        } else {
          // `"abc"def`: Excel keeps the text after the closing quote; so do we.
          state_ = State::unquoted;
        }
        break;
      }
    }
  }
}

void CsvParser::finish() {
  skip_lf_ = false;
  if (state_ == State::quoted) {
    const std::uint32_t broken = row_ + 1;
    const std::uint32_t column = quote_column_;
    const std::size_t newline = field_.find_first_of("\r\n");
    std::string rest;
    if (newline != std::string::npos && recoveries_ < kMaxRecoveries
        && field_.size() <= kMaxRecoveryBytes)
      rest = field_.substr(newline);
    reset_record();
    row_ = broken;
    handler_(CsvRow{broken, {}, "a quoted field opens here and never closes", column});
    if (!rest.empty()) {
      ++recoveries_;
      // `rest` starts with the line break that ended the broken row; skip it as a row end.
      std::size_t skip = rest[0] == '\r' && rest.size() > 1 && rest[1] == '\n' ? 2 : 1;
      feed(std::string_view(rest).substr(skip));
      finish();
    }
    return;
  }
  if (state_ == State::field_start && fields_.empty()) return;  // input ended with a line break
  end_record();
}

}  // namespace crmsync::folder
