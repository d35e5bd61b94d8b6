#include "connectors/folder/readers/delimiter_sniffer.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace crmsync::folder {
namespace {

constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
constexpr std::size_t kSampleLines = 40;

// Counts each candidate per logical line, honouring quotes so a ',' inside "Smith, John" is no
// vote.
std::vector<std::array<std::size_t, 4>> count_per_line(std::string_view text) {
  std::vector<std::array<std::size_t, 4>> lines;
  std::array<std::size_t, 4> counts{};
  bool quoted = false;
  bool any = false;
  for (std::size_t i = 0; i < text.size() && lines.size() < kSampleLines; ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      if (any) lines.push_back(counts);
      counts = {};
      any = false;
      continue;
    } else if (!quoted) {
      for (std::size_t k = 0; k < kCandidates.size(); ++k)
        if (c == kCandidates[k]) ++counts[k];
    }
    any = true;
  }
  if (any && lines.size() < kSampleLines) lines.push_back(counts);
  return lines;
}

}  // namespace

SniffedDelimiter sniff_delimiter(std::string_view sample) {
  if (sample.size() >= 5 && (sample.substr(0, 4) == "sep=" || sample.substr(0, 4) == "SEP=")) {
    const std::size_t end = sample.find_first_of("\r\n");
    if (end == 5 || end == std::string_view::npos) {
      std::size_t skip = end == std::string_view::npos ? sample.size() : end + 1;
      if (end != std::string_view::npos && sample[end] == '\r' && end + 1 < sample.size()
          && sample[end + 1] == '\n')
        ++skip;
      return {sample[4], skip};
    }
  }
  const auto lines = count_per_line(sample);
  char best = ',';
  std::size_t best_score = 0;
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    std::map<std::size_t, std::size_t> frequency;  // count per line -> lines with that count
    for (const auto& line : lines)
      if (line[k] > 0) ++frequency[line[k]];
    std::size_t agreeing = 0;
    std::size_t fields = 0;
    for (const auto& [count, n] : frequency)
      if (n > agreeing || (n == agreeing && count > fields)) {
        agreeing = n;
        fields = count;
      }
    // Lines that agree count most; more fields break ties (a ';' file with commas in notes).
    const std::size_t score = agreeing * 1000 + std::min<std::size_t>(fields, 999);
    if (score > best_score) {
      best_score = score;
      best = kCandidates[k];
    }
  }
  return {best, 0};
}

}  // namespace crmsync::folder
