// connectors/salesforce/bulk_result_matcher.hpp — which operation of a Bulk ingest job a result
// row answers. Result files come in no particular order (reference §6.5): a row is matched by the
// columns it echoes — the Id for updates, the external id for upserts, every value for inserts
// (identical rows are interchangeable, so they are matched in turn).
//
// Results usually come in the order rows were uploaded, so each row is first compared with the
// next operation not yet answered; only the first row out of order builds the index by key. A
// 100k-row job's index (a key string per row) cost 0.3 s to build, search and free.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connectors/crm.hpp"

namespace crmsync::salesforce {

class BulkResultMatcher {
 public:
  // `cells_of(i, out)`: operation i's cells in the job's column order, as uploaded.
  using CellsOf = std::function<void(std::size_t, std::vector<std::string_view>&)>;
  BulkResultMatcher(std::size_t operations, CrmOperation::Kind kind, std::size_t external_id_column,
                    CellsOf cells_of);

  // The operation a result row answers, given its echoed cells in the job's column order; each
  // operation is answered once. nullopt when no operation left has those values.
  std::optional<std::size_t> take(std::span<const std::string_view> echoed);

 private:
  void key_of(std::span<const std::string_view> cells, std::string& key) const;
  void build_index();

  std::size_t operations_;
  CrmOperation::Kind kind_;
  std::size_t external_id_column_;
  CellsOf cells_of_;
  std::vector<bool> taken_;
  std::size_t next_ = 0;  // the first operation not taken, in upload order
  // Built once a row comes out of order: key -> operations not taken then, in order.
  struct Waiting {
    std::vector<std::size_t> operations;
    std::size_t next = 0;
  };
  std::unordered_map<std::string, Waiting> index_;
  bool indexed_ = false;
  std::string echoed_key_, operation_key_;  // reused: no string per row
  std::vector<std::string_view> operation_cells_;
};

}  // namespace crmsync::salesforce
