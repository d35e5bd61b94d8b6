#include "daemon/reconcile/plan/shared_key_groups.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/threads/in_two_halves.hpp"

namespace crmsync::reconcile {
namespace {

struct Entry {
  std::uint64_t hash;
  std::uint32_t row;
  std::uint32_t which;  // which of the row's phones or external ids; 0 for the other kinds
  bool operator<(const Entry& other) const {
    return hash < other.hash || (hash == other.hash && row < other.row);
  }
};

struct Entries {
  std::vector<Entry> emails, phones, external_ids, blocks;
};

Entries entries_of_rows(std::size_t begin, std::size_t end,
                        const std::function<const PersonKeys&(std::size_t)>& keys_of,
                        KeyHash hash) {
  Entries out;
  out.emails.reserve(end - begin);
  out.phones.reserve(end - begin);
  out.blocks.reserve(4 * (end - begin));
  for (std::size_t n = begin; n < end; ++n) {
    const auto& keys = keys_of(n);
    const auto row = static_cast<std::uint32_t>(n);
    if (!keys.email.empty()) out.emails.push_back({hash(keys.email), row, 0});
    for (std::size_t p = 0; p < keys.phones.size(); ++p)
      if (!keys.phones[p].empty())
        out.phones.push_back({hash(keys.phones[p]), row, static_cast<std::uint32_t>(p)});
    for (std::size_t k = 0; k < keys.external_ids.size(); ++k)
      out.external_ids.push_back({hash(keys.external_ids[k]), row, static_cast<std::uint32_t>(k)});
    for (const auto& block : blocking_keys(keys))
      out.blocks.push_back({hash(block), row, 0});
  }
  for (auto* kind : {&out.emails, &out.phones, &out.external_ids, &out.blocks})
    std::sort(kind->begin(), kind->end());
  return out;
}

std::vector<Entry> merged(std::vector<Entry>& first, std::vector<Entry>& second) {
  if (second.empty()) return std::move(first);
  std::vector<Entry> all(first.size() + second.size());
  std::merge(first.begin(), first.end(), second.begin(), second.end(), all.begin());
  return all;
}

// Calls on_run(first, last) for each stretch of two or more entries that `same` holds equal.
template <typename Same, typename OnRun>
void for_each_run(const Entry* begin, const Entry* end, const Same& same, const OnRun& on_run) {
  for (auto* first = begin; first != end;) {
    auto* last = first + 1;
    while (last != end && same(*first, *last))
      ++last;
    if (last - first > 1) on_run(first, last);
    first = last;
  }
}

template <typename OnRun>
void for_each_hash_run(const std::vector<Entry>& entries, const OnRun& on_run) {
  for_each_run(
      entries.data(), entries.data() + entries.size(),
      [](const Entry& a, const Entry& b) { return a.hash == b.hash; }, on_run);
}

// The distinct rows of [first, last), which hold rows ascending.
std::vector<std::uint32_t> rows_of(const Entry* first, const Entry* last) {
  std::vector<std::uint32_t> rows;
  rows.reserve(static_cast<std::size_t>(last - first));
  for (auto* entry = first; entry != last; ++entry)
    if (rows.empty() || rows.back() != entry->row) rows.push_back(entry->row);
  return rows;
}

void add_group(const Entry* first, const Entry* last,
               std::vector<std::vector<std::uint32_t>>& groups) {
  if (auto rows = rows_of(first, last); rows.size() > 1) groups.push_back(std::move(rows));
}

// The groups of one run of exact keys: a hash that two different keys share (as good as never)
// splits into a group per key.
template <typename KeyOf>
void add_same_key_groups(const Entry* first, const Entry* last, const KeyOf& key_of,
                         std::vector<std::vector<std::uint32_t>>& groups) {
  const auto key = key_of(*first);
  if (std::all_of(first, last, [&](const Entry& entry) { return key_of(entry) == key; })) {
    add_group(first, last, groups);
    return;
  }
  std::vector<Entry> by_key(first, last);
  std::stable_sort(by_key.begin(), by_key.end(),
                   [&](const Entry& a, const Entry& b) { return key_of(a) < key_of(b); });
  for_each_run(
      by_key.data(), by_key.data() + by_key.size(),
      [&](const Entry& a, const Entry& b) { return key_of(a) == key_of(b); },
      [&](const Entry* run_first, const Entry* run_last) {
        add_group(run_first, run_last, groups);
      });
}

}  // namespace

SharedKeyGroups group_by_shared_keys(std::size_t count,
                                     const std::function<const PersonKeys&(std::size_t)>& keys_of,
                                     std::size_t at_most, KeyHash hash) {
  std::array<Entries, 2> halves;
  in_two_halves(count, [&](std::size_t begin, std::size_t end) {
    halves[begin == 0 ? 0 : 1] = entries_of_rows(begin, end, keys_of, hash);
  });
  SharedKeyGroups groups;
  const auto email_of = [&](const Entry& entry) -> std::string_view {
    return keys_of(entry.row).email;
  };
  const auto phone_of = [&](const Entry& entry) -> std::string_view {
    return keys_of(entry.row).phones[entry.which];
  };
  const auto external_id_of = [&](const Entry& entry) -> std::string_view {
    return keys_of(entry.row).external_ids[entry.which];
  };
  for_each_hash_run(merged(halves[0].emails, halves[1].emails), [&](auto* first, auto* last) {
    add_same_key_groups(first, last, email_of, groups.same_key);
  });
  for_each_hash_run(merged(halves[0].phones, halves[1].phones), [&](auto* first, auto* last) {
    add_same_key_groups(first, last, phone_of, groups.same_key);
  });
  // One External ID value is one record, whatever else the rows say.
  for_each_hash_run(merged(halves[0].external_ids, halves[1].external_ids),
                    [&](auto* first, auto* last) {
                      add_same_key_groups(first, last, external_id_of, groups.same_key);
                    });
  // Counted with every entry, as an index's block look-up counts them.
  for_each_hash_run(merged(halves[0].blocks, halves[1].blocks), [&](auto* first, auto* last) {
    if (static_cast<std::size_t>(last - first) <= at_most) add_group(first, last, groups.blocks);
  });
  return groups;
}

}  // namespace crmsync::reconcile
