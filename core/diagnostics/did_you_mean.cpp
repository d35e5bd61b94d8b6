// Did-you-mean suggestions for unknown names. Hand-rolled: the candidate lists are a few dozen
// declared names, and an optimal-string-alignment distance is twenty lines, not a dependency.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"

namespace crmsync {
namespace {

// Lower case, '-' and ' ' as '_': "Title-Case" and "title_case" are the same intent.
std::string fold(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (const char c : word) {
    if (c == '-' || c == ' ') {
      out += '_';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string folded = fold(word);
  // Without '_' so "titlecase" finds "title_case" as an exact match.
  auto squash = [](std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    return s;
  };
  const std::string squashed = squash(folded);
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, (folded.size() + 2) / 3) + 1;
  for (const auto candidate : candidates) {
    if (candidate == word) continue;
    const std::string folded_candidate = fold(candidate);
    std::size_t distance = edit_distance(folded, folded_candidate);
    if (folded_candidate == folded || squash(folded_candidate) == squashed) distance = 0;
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return did_you_mean(word, views);
}

std::string suggestion_help(std::string_view word,
                            const std::vector<std::string_view>& candidates) {
  const auto suggestion = did_you_mean(word, candidates);
  return suggestion.empty() ? std::string() : "did you mean '" + suggestion + "'?";
}

}  // namespace crmsync
