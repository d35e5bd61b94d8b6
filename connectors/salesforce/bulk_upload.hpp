// connectors/salesforce/bulk_upload.hpp — the CSV a Bulk API 2.0 ingest job uploads: one column
// per field any operation sets (Id first for updates), one row per operation in order, "#N/A" to
// clear a field (an empty cell leaves it as it is). The same cells are what its result files echo
// back, which is how results are matched to operations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/crm.hpp"

namespace crmsync::salesforce {

class BulkUpload {
 public:
  // `group`: operations of one object and kind, the job's rows.
  explicit BulkUpload(std::span<const CrmOperation> group);

  const std::vector<std::string>& columns() const { return columns_; }
  // The cells of the group's `i`-th operation in column order, as views into it.
  void cells(std::size_t i, std::vector<std::string_view>& out) const;
  // The whole upload: header, then a row per operation, LF line ends.
  std::string csv() const;

 private:
  // Where each column's value is in an operation's values; the id and "not set" are marked.
  static constexpr std::ptrdiff_t kIdPlace = -2, kNoPlace = -1;
  std::vector<std::ptrdiff_t> places(const CrmOperation& op) const;

  std::span<const CrmOperation> group_;
  bool with_id_;
  std::vector<std::string> columns_;
  // Operations in a row that set the same fields share where their values are: a job's
  // operations nearly always do. Worked out once, while the columns are found, instead of at
  // every cell look-up (matching a 100k-row job's results compared 600k field names again).
  std::vector<std::uint32_t> shape_of_;  // by operation: its entry in shapes_
  std::vector<std::vector<std::ptrdiff_t>> shapes_;
};

}  // namespace crmsync::salesforce
