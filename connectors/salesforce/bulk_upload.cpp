#include "connectors/salesforce/bulk_upload.hpp"

#include <algorithm>

#include "core/text/csv_field.hpp"

namespace crmsync::salesforce {
namespace {
constexpr std::string_view kClearValue = "#N/A";  // Bulk's null: an empty value leaves it as is
}  // namespace

BulkUpload::BulkUpload(std::span<const CrmOperation> group)
    : group_(group), with_id_(!group.empty() && group.front().kind == CrmOperation::Kind::update) {
  if (with_id_) columns_.push_back("Id");
  for (const auto& op : group_)
    for (const auto& [field, value] : op.values)
      if (std::find(columns_.begin(), columns_.end(), field) == columns_.end())
        columns_.push_back(field);
}

void BulkUpload::cells(const CrmOperation& op, std::vector<std::string_view>& out) const {
  out.clear();
  for (const auto& column : columns_) {
    if (with_id_ && column == "Id") {
      out.push_back(op.id);
      continue;
    }
    const auto found = std::find_if(op.values.begin(), op.values.end(),
                                    [&](const auto& entry) { return entry.first == column; });
    if (found == op.values.end())
      out.emplace_back();
    else
      out.push_back(found->second ? std::string_view(*found->second) : kClearValue);
  }
}

std::string BulkUpload::csv() const {
  // Its size, near enough, so that a 100k-row upload (9 MB) is not grown by doubling.
  std::size_t size = 64;
  for (const auto& column : columns_)
    size += column.size() + 1;
  for (const auto& op : group_) {
    size += op.id.size() + columns_.size() + 1;
    for (const auto& [field, value] : op.values)
      size += value ? value->size() + 2 : kClearValue.size();
  }
  std::string csv;
  csv.reserve(size);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (c) csv += ',';
    append_csv_field(csv, columns_[c]);
  }
  csv += '\n';
  std::vector<std::string_view> row;
  for (const auto& op : group_) {
    cells(op, row);
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) csv += ',';
      append_csv_field(csv, row[c]);
    }
    csv += '\n';
  }
  return csv;
}

}  // namespace crmsync::salesforce
