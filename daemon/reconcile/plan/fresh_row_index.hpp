// daemon/reconcile/plan/fresh_row_index.hpp — the rows no CRM record matched, indexed so that
// clustering finds each one's look-alikes. Built as two indexes, one per half of the rows, on
// two threads when the rows are many (one index took a 100k-row plan 0.17 s on one core);
// record numbers are the rows' own, the second half's after the first's, and every look-up
// answers in that order, as one index would.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "daemon/reconcile/index/crm_index.hpp"

namespace crmsync::reconcile {

class FreshRowIndex {
 public:
  // `keys_of(n)`: the match keys of fresh row n, for n in [0, count).
  FreshRowIndex(std::size_t count, const std::function<const PersonKeys&(std::size_t)>& keys_of);

  std::vector<RecordIndex> find_email(std::string_view email) const;
  std::vector<RecordIndex> find_phone(std::string_view e164) const;
  // Empty when the block has more than `at_most` entries in both halves together.
  std::vector<RecordIndex> find_block(std::string_view blocking_key, std::size_t at_most) const;
  std::uint64_t last_name_signature(RecordIndex row) const;
  PersonView person(RecordIndex row) const;

 private:
  template <typename Find>
  std::vector<RecordIndex> both(const Find& find) const;

  std::array<CrmIndex, 2> halves_;
  RecordIndex split_ = 0;  // the first row of the second half
};

}  // namespace crmsync::reconcile
