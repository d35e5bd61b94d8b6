// connectors/folder/readers/header_detector.hpp — which of a table's first rows is its header.
// With a hint (the mapping's normalized aliases) the row naming most of them wins; without one,
// or when no row names any, the first dense text row (title rows hold one cell, notes rows few).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "connectors/record.hpp"

namespace crmsync::folder {

struct HeaderChoice {
  std::size_t index = 0;  // into the candidate rows
  std::size_t score = 0;  // cells matching the hint
};

// `rows` are the first rows of the table, blank rows included; nullopt when every row is blank.
std::optional<HeaderChoice> choose_header(const std::vector<std::vector<Cell>>& rows,
                                          const std::unordered_set<std::string>& hint);

// Column names for a header row: trimmed text; empty cells become "Column N" (1-based) so every
// cell of a record can be named in previews.
std::vector<std::string> header_columns(const std::vector<Cell>& row);

}  // namespace crmsync::folder
