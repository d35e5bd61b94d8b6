// connectors/salesforce/bulk_upload.hpp — the CSV a Bulk API 2.0 ingest job uploads: one column
// per field any operation sets (Id first for updates), one row per operation in order, "#N/A" to
// clear a field (an empty cell leaves it as it is). The same cells are what its result files echo
// back, which is how results are matched to operations.
#pragma once

#include <cstddef>
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
  // The operation's cells in column order, as views into it. Where each column's value is, is
  // kept from one call to the next while the operations set the same fields: one thread only.
  void cells(const CrmOperation& op, std::vector<std::string_view>& out) const;
  // The whole upload: header, then a row per operation, LF line ends.
  std::string csv() const;

 private:
  // Where each column's value is in an operation's values; the id and "not set" are marked.
  static constexpr std::ptrdiff_t kIdPlace = -2, kNoPlace = -1;
  std::vector<std::ptrdiff_t> places(const CrmOperation& op) const;
  static void cells(const CrmOperation& op, const std::vector<std::ptrdiff_t>& places,
                    std::vector<std::string_view>& out);

  std::span<const CrmOperation> group_;
  bool with_id_;
  std::vector<std::string> columns_;
  mutable const CrmValues* shape_ = nullptr;  // the fields of the operation last placed
  mutable std::vector<std::ptrdiff_t> shape_places_;
};

}  // namespace crmsync::salesforce
