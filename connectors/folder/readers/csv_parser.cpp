#include "connectors/folder/readers/csv_parser.hpp"

#include <cstring>

#include "core/error.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
      handler_(std::move(handler)) {
  ends_unquoted_[static_cast<unsigned char>(delimiter)] = true;
  ends_unquoted_[static_cast<unsigned char>('\n')] = true;
  ends_unquoted_[static_cast<unsigned char>('\r')] = true;
}

void CsvParser::grow(std::size_t n) {
  record_bytes_ += n;
  if (record_bytes_ > max_record_bytes_)
    throw Error(ErrorCategory::input,
                "row " + std::to_string(row_ + 1) + " is longer than "
                    + std::to_string(max_record_bytes_ >> 20)
                    + " MB: the file is not a table crmsync can read (a binary file, or a quote "
                      "that never closes)");
}

// Fields are short (names, phones, emails: 5 to 30 bytes), so finding where one ends is the
// parser's hottest loop: 16 bytes are compared at once against the three bytes that end it.
const char* CsvParser::find_unquoted_end(const char* p, const char* end) const noexcept {
#if defined(__SSE2__)
  const __m128i delimiter = _mm_set1_epi8(delimiter_);
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (end - p >= 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(bytes, delimiter),
                     _mm_or_si128(_mm_cmpeq_epi8(bytes, lf), _mm_cmpeq_epi8(bytes, cr)));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p < end && !ends_unquoted_[static_cast<unsigned char>(*p)])
    ++p;
  return p;
}

void CsvParser::append(const char* begin, const char* end) {
  const auto n = static_cast<std::size_t>(end - begin);
  if (n == 0) return;
  grow(n);
  field_.append(begin, n);
}

void CsvParser::end_field() {
  if (cells_.size() >= max_columns_) {
    too_many_columns_ = true;
  } else {
    Cell& cell = cells_.emplace_back();
    if (!field_.empty()) {
      cell.kind = CellKind::text;
      cell.text = std::move(field_);
    }
  }
  field_.clear();
  state_ = State::field_start;
}

void CsvParser::reset_record() {
  cells_.clear();
  field_.clear();
  record_bytes_ = 0;
  too_many_columns_ = false;
  state_ = State::field_start;
}

void CsvParser::end_record() {
  end_field();
  emit_record();
}

void CsvParser::emit_record() {
  CsvRow row;
  row.row = ++row_;
  if (too_many_columns_) {
    row.error = "more than " + std::to_string(max_columns_) + " columns";
  } else {
    row.cells = std::move(cells_);
  }
  if (!row.cells.empty()) last_width_ = row.cells.size();
  reset_record();
  cells_.reserve(last_width_);
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
          quote_column_ = static_cast<std::uint32_t>(cells_.size() + 1);
          ++p;
          continue;
        }
        state_ = State::unquoted;
        [[fallthrough]];
      case State::unquoted: {
        const char* start = p;
        p = find_unquoted_end(p, end);
        if (p == end) {
          append(start, p);
          return;
        }
        // The usual field starts and ends in this chunk: its cell is built in place.
        if (field_.empty() && cells_.size() < max_columns_) {
          grow(static_cast<std::size_t>(p - start));
          // Constructed from the range, not assigned: std::string's constructor is much lighter
          // than assign(). (Brace-built: clang-14, the fuzz compiler, lacks C++20's parenthesised
          // aggregate initialisation, so emplace_back(kind, text, number) does not compile there.)
          if (p != start)
            cells_.push_back(Cell{CellKind::text, std::string(start, p), 0.0});
          else
            cells_.emplace_back();
        } else {
          append(start, p);
          end_field();
        }
        state_ = State::field_start;
        const char c = *p++;
        if (c != delimiter_) {
          skip_lf_ = c == '\r';
          emit_record();
        }
        break;
      }
      case State::quoted: {
        const char* start = p;
        const void* quote = std::memchr(p, '"', static_cast<std::size_t>(end - p));
        p = quote ? static_cast<const char*>(quote) : end;
        append(start, p);
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
  if (state_ == State::field_start && cells_.empty()) return;  // input ended with a line break
  end_record();
}

}  // namespace crmsync::folder
