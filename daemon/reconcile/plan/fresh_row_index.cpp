#include "daemon/reconcile/plan/fresh_row_index.hpp"

#include <string>

#include "core/threads/in_two_halves.hpp"

namespace crmsync::reconcile {

FreshRowIndex::FreshRowIndex(std::size_t count,
                             const std::function<const PersonKeys&(std::size_t)>& keys_of) {
  split_ = static_cast<RecordIndex>(count);
  in_two_halves(count, [&](std::size_t begin, std::size_t end) {
    // One call covers every row below the threshold, or when no thread can be had: the second
    // half then stays empty and split_ stays at count.
    if (begin != 0) split_ = static_cast<RecordIndex>(begin);
    auto& index = halves_[begin == 0 ? 0 : 1];
    index.reserve(end - begin);
    for (std::size_t n = begin; n < end; ++n)
      index.add(std::to_string(n - begin), "", "", keys_of(n));
    index.freeze();
  });
}

template <typename Find>
std::vector<RecordIndex> FreshRowIndex::both(const Find& find) const {
  auto rows = find(halves_[0]);
  for (const auto row : find(halves_[1]))
    rows.push_back(row + split_);
  return rows;
}

std::vector<RecordIndex> FreshRowIndex::find_email(std::string_view email) const {
  return both([&](const CrmIndex& index) { return index.find_email(email); });
}

std::vector<RecordIndex> FreshRowIndex::find_phone(std::string_view e164) const {
  return both([&](const CrmIndex& index) { return index.find_phone(e164); });
}

std::vector<RecordIndex> FreshRowIndex::find_block(std::string_view blocking_key,
                                                   std::size_t at_most) const {
  if (halves_[0].count_block(blocking_key) + halves_[1].count_block(blocking_key) > at_most)
    return {};
  return both([&](const CrmIndex& index) { return index.find_block(blocking_key); });
}

std::uint64_t FreshRowIndex::last_name_signature(RecordIndex row) const {
  return row < split_ ? halves_[0].last_name_signature(row)
                      : halves_[1].last_name_signature(row - split_);
}

PersonView FreshRowIndex::person(RecordIndex row) const {
  return row < split_ ? halves_[0].person(row) : halves_[1].person(row - split_);
}

}  // namespace crmsync::reconcile
