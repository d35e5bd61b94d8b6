#include "daemon/reconcile/match/name_similarity.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

namespace crmsync::reconcile {

namespace {

// Jaro-Winkler over caller-provided "matched" flags (a.size() + b.size() of them, all false).
double jaro_winkler_with(std::string_view a, std::string_view b, bool* a_matched, bool* b_matched) {
  const std::size_t window = std::max<std::size_t>(a.size(), b.size()) / 2;
  const std::size_t reach = window > 0 ? window - 1 : 0;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t start = i > reach ? i - reach : 0;
    const std::size_t end = std::min(i + reach + 1, b.size());
    for (std::size_t j = start; j < end; ++j) {
      if (b_matched[j] || a[i] != b[j]) continue;
      a_matched[i] = b_matched[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j])
      ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size())
                       + (m - static_cast<double>(transpositions) / 2.0) / m)
                      / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
    ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

}  // namespace

// Optimal string alignment distance over three rotating rows (the one before the last, for
// swaps), computed only within `limit` of the diagonal: a cell further out is already more than
// `limit` edits. Names are short, so fixed arrays on the stack keep the hot path allocation-free.
int typo_distance(std::string_view a, std::string_view b, int limit) {
  if (std::abs(static_cast<int>(a.size()) - static_cast<int>(b.size())) > limit) return limit + 1;
  // What both share at the start and the end costs no edit (a swap across the cut would be two
  // different letters, so it is never shared): only the middle needs the table.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (n == 0 || m == 0) return std::min(std::max(n, m), limit + 1);
  constexpr int kMax = 64;
  if (n >= kMax || m >= kMax) return a == b ? 0 : limit + 1;
  constexpr int kFar = kMax * 2;  // more edits than any two names here can need
  std::array<std::array<int, kMax + 1>, 3> rows;
  int* before = rows[0].data();
  int* previous = rows[1].data();
  int* current = rows[2].data();
  for (int j = 0; j <= m; ++j)
    previous[j] = j;
  for (int i = 1; i <= n; ++i) {
    const int low = std::max(1, i - limit);
    const int high = std::min(m, i + limit);
    current[low - 1] = low == 1 ? i : kFar;
    int row_best = current[low - 1];
    for (int j = low; j <= high; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, before[j - 2] + 1);
      current[j] = best;
      row_best = std::min(row_best, best);
    }
    if (high < m) current[high + 1] = kFar;  // the next row reads one cell past this band
    if (row_best > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], limit + 1);
}

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  // Names fit on the stack; the fuzzy search calls this millions of times and must not allocate.
  constexpr std::size_t kStack = 128;
  if (a.size() + b.size() <= kStack) {
    std::array<bool, kStack> flags{};
    return jaro_winkler_with(a, b, flags.data(), flags.data() + a.size());
  }
  auto flags = std::make_unique<bool[]>(a.size() + b.size());
  return jaro_winkler_with(a, b, flags.get(), flags.get() + a.size());
}

std::string soundex(std::string_view name) {
  auto code = [](char c) -> char {
    switch (c) {
      case 'b':
      case 'f':
      case 'p':
      case 'v':
        return '1';
      case 'c':
      case 'g':
      case 'j':
      case 'k':
      case 'q':
      case 's':
      case 'x':
      case 'z':
        return '2';
      case 'd':
      case 't':
        return '3';
      case 'l':
        return '4';
      case 'm':
      case 'n':
        return '5';
      case 'r':
        return '6';
      case 'h':
      case 'w':
        return '-';  // transparent: letters either side with one code merge
      default:
        return '0';  // vowels separate equal codes
    }
  };
  std::string out;
  char previous = 0;
  for (const char c : name) {
    if (c < 'a' || c > 'z') continue;
    const char digit = code(c);
    if (out.empty()) {
      out += c;
      previous = digit;
      continue;
    }
    if (digit == '-') continue;
    if (digit != '0' && digit != previous) out += digit;
    previous = digit;
    if (out.size() == 4) break;
  }
  if (!out.empty()) out.resize(4, '0');
  return out;
}

std::string fold_name(std::string_view utf8) {
  // ICU's transliterator is not thread-safe to share; one per thread, created on first use.
  thread_local std::unique_ptr<icu::Transliterator> fold = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status));
    return U_FAILURE(status) ? nullptr : std::move(t);
  }();
  std::string ascii;
  bool plain = true;
  for (const char c : utf8)
    plain = plain && static_cast<unsigned char>(c) < 0x80;
  if (plain || fold == nullptr) {
    ascii.assign(utf8);
  } else {
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    fold->transliterate(text);
    text.toUTF8String(ascii);
  }
  std::string out;
  bool space = false;
  for (const char raw : ascii) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (space && !out.empty()) out += ' ';
      out += c;
      space = false;
    } else if (c == ' ' || c == '-' || c == '\t') {
      space = true;
    }
    // apostrophes and dots vanish: O'Brien -> obrien, St. -> st
  }
  return out;
}

}  // namespace crmsync::reconcile
