#include "connectors/folder/readers/header_detector.hpp"

#include <algorithm>

#include "connectors/folder/readers/alias_normalizer.hpp"

namespace crmsync::folder {
namespace {

std::size_t non_empty(const std::vector<Cell>& row) {
  return static_cast<std::size_t>(
      std::count_if(row.begin(), row.end(), [](const Cell& c) { return !c.empty(); }));
}

bool all_text(const std::vector<Cell>& row) {
  return std::all_of(row.begin(), row.end(),
                     [](const Cell& c) { return c.empty() || c.kind == CellKind::text; });
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

}  // namespace

std::optional<HeaderChoice> choose_header(const std::vector<std::vector<Cell>>& rows,
                                          const std::unordered_set<std::string>& hint) {
  if (!hint.empty()) {
    std::optional<HeaderChoice> best;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::size_t score = 0;
      for (const Cell& cell : rows[i])
        if (cell.kind == CellKind::text && hint.contains(normalize_alias(cell.text))) ++score;
      if (score > 0 && (!best || score > best->score)) best = HeaderChoice{i, score};
    }
    if (best) return best;
  }
  std::size_t widest = 0;
  for (const auto& row : rows)
    widest = std::max(widest, non_empty(row));
  if (widest == 0) return std::nullopt;
  // Dense: at least two cells and at least half as wide as the widest row seen, all text.
  const std::size_t dense = std::max<std::size_t>(2, (widest + 1) / 2);
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (non_empty(rows[i]) >= std::min(dense, widest) && all_text(rows[i]))
      return HeaderChoice{i, 0};
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (non_empty(rows[i]) > 0) return HeaderChoice{i, 0};
  return std::nullopt;
}

std::vector<std::string> header_columns(const std::vector<Cell>& row) {
  std::size_t width = row.size();
  while (width > 0 && row[width - 1].empty())
    --width;
  std::vector<std::string> columns;
  columns.reserve(width);
  for (std::size_t i = 0; i < width; ++i) {
    std::string name = trim(row[i].text);
    if (name.empty()) name = "Column " + std::to_string(i + 1);
    columns.push_back(std::move(name));
  }
  return columns;
}

}  // namespace crmsync::folder
