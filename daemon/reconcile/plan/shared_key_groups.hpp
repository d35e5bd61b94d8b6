// daemon/reconcile/plan/shared_key_groups.hpp — the rows no CRM record matched, grouped by the
// keys they share, for clustering: rows with one email, phone or External ID value, and the
// blocks that fuzzy scoring compares within. Each kind of key is one sorted run of (key hash,
// row) entries, so a group is a stretch of equal hashes read in order. Looking each row's keys up
// in an index of the others instead took a 100k-row plan 0.45 s, most of it cache misses, and
// found every pair twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "daemon/reconcile/index/crm_index.hpp"
#include "daemon/reconcile/match/person_match.hpp"

namespace crmsync::reconcile {

struct SharedKeyGroups {
  // Two or more rows with the same email, phone or External ID value (compared in full): each
  // group's rows ascending. A row can be in several groups.
  std::vector<std::vector<std::uint32_t>> same_key;
  // Two or more rows with the same blocking key, ascending, from blocks of at most `at_most`
  // entries. Larger blocks (a big customer's email domain) say nothing about identity, and
  // scoring them would be quadratic; the other blocks decide. A block is a prefilter: the rare
  // colliding key only costs a score.
  std::vector<std::vector<std::uint32_t>> blocks;
};

// How a key is hashed into its entry. Another than the index's is for tests: two keys that share
// a 64-bit hash cannot be found to test with.
using KeyHash = std::uint64_t (*)(std::string_view key);

// `keys_of(n)`: the match keys of row n, for n in [0, count). The entries are made and sorted
// in two halves, on two threads when the rows are many.
SharedKeyGroups group_by_shared_keys(std::size_t count,
                                     const std::function<const PersonKeys&(std::size_t)>& keys_of,
                                     std::size_t at_most, KeyHash hash = hash_key);

}  // namespace crmsync::reconcile
