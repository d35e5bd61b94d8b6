#include "connectors/salesforce/bulk_result_matcher.hpp"

namespace crmsync::salesforce {

BulkResultMatcher::BulkResultMatcher(std::size_t operations, CrmOperation::Kind kind,
                                     std::size_t external_id_column, CellsOf cells_of)
    : operations_(operations),
      kind_(kind),
      external_id_column_(external_id_column),
      cells_of_(std::move(cells_of)),
      taken_(operations, false) {}

void BulkResultMatcher::key_of(std::span<const std::string_view> cells, std::string& key) const {
  key.clear();
  if (kind_ == CrmOperation::Kind::update) {
    if (!cells.empty()) key.assign(cells[0]);
  } else if (kind_ == CrmOperation::Kind::upsert) {
    if (external_id_column_ < cells.size()) key.assign(cells[external_id_column_]);
  } else {
    for (const auto cell : cells)
      key.append(cell).push_back(0x1f);
  }
}

void BulkResultMatcher::build_index() {
  indexed_ = true;
  index_.reserve(operations_ - next_);
  for (std::size_t i = next_; i < operations_; ++i) {
    if (taken_[i]) continue;
    cells_of_(i, operation_cells_);
    key_of(operation_cells_, operation_key_);
    index_[operation_key_].operations.push_back(i);
  }
}

std::optional<std::size_t> BulkResultMatcher::take(std::span<const std::string_view> echoed) {
  key_of(echoed, echoed_key_);
  if (!indexed_) {
    while (next_ < operations_ && taken_[next_])
      ++next_;
    if (next_ < operations_) {
      cells_of_(next_, operation_cells_);
      key_of(operation_cells_, operation_key_);
      if (operation_key_ == echoed_key_) {
        taken_[next_] = true;
        return next_++;
      }
    }
    build_index();
  }
  const auto found = index_.find(echoed_key_);
  if (found == index_.end()) return std::nullopt;
  auto& waiting = found->second;
  if (waiting.next == waiting.operations.size()) return std::nullopt;
  const auto i = waiting.operations[waiting.next++];
  taken_[i] = true;
  return i;
}

}  // namespace crmsync::salesforce
