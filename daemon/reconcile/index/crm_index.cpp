#include "daemon/reconcile/index/crm_index.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace crmsync::reconcile {

std::uint64_t hash_key(std::string_view key) noexcept {
  // FNV-1a then a 64-bit finaliser (splitmix): fast on short keys, well spread for sorting.
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

namespace {
constexpr std::size_t kPrefixes = 1 << 16;

std::uint32_t short_hash(std::string_view key) noexcept {
  return static_cast<std::uint32_t>(hash_key(key) >> 32);
}
}  // namespace

CrmIndex::Span CrmIndex::store(std::string_view text) {
  if (arena_.size() + text.size() > UINT32_MAX)
    throw Error(ErrorCategory::permanent, "CRM index is larger than 4 GiB of text");
  Span span{static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(text.size())};
  arena_.append(text);
  return span;
}

CrmIndex::Span CrmIndex::store_joined(const std::vector<std::string>& texts) {
  Span joined{static_cast<std::uint32_t>(arena_.size()), 0};
  for (const auto& text : texts) {
    if (joined.length != 0) joined.length += store("\n").length;
    joined.length += store(text).length;
  }
  return joined;
}

namespace {
// Calls `each` with every part of a '\n'-joined list until it returns true; true when one did.
template <typename Each>
bool any_part(std::string_view joined, const Each& each) {
  while (!joined.empty()) {
    const auto end = joined.find('\n');
    if (each(joined.substr(0, end))) return true;
    joined = end == std::string_view::npos ? std::string_view() : joined.substr(end + 1);
  }
  return false;
}
}  // namespace

void CrmIndex::add(const IndexedRecord& record) {
  add(record.id, record.owner_id, record.modstamp, record.keys);
}

void CrmIndex::add(std::string_view id, std::string_view owner_id, std::string_view modstamp,
                   const PersonKeys& keys) {
  remove(id);
  Stored stored;
  stored.id = store(id);
  const auto owner = owner_spans_.find(owner_id);
  stored.owner_id = owner != owner_spans_.end()
                        ? owner->second
                        : owner_spans_.emplace(owner_id, store(owner_id)).first->second;
  stored.modstamp = store(modstamp);
  stored.first = store(keys.first);
  stored.last = store(keys.last);
  stored.email = store(keys.email);
  stored.domain = store(keys.email_domain);
  stored.company = store(keys.company_key);
  stored.phones = store_joined(keys.phones);
  stored.external_ids = store_joined(keys.external_ids);
  const auto index = static_cast<RecordIndex>(records_.size());
  records_.push_back(stored);
  last_signatures_.push_back(reconcile::last_name_signature(keys.last));
  insert_id_slot(index);
  if (!keys.email.empty()) emails_.entries.push_back({short_hash(keys.email), index});
  for (const auto& phone : keys.phones)
    if (!phone.empty()) phones_.entries.push_back({short_hash(phone), index});
  for (const auto& key : keys.external_ids)
    external_ids_.entries.push_back({short_hash(key), index});
  for (const auto& key : blocking_keys(keys))
    blocks_.entries.push_back({short_hash(key), index});
  ++live_;
}

void CrmIndex::remove(std::string_view id) {
  const auto found = find_id(id);
  if (!found) return;
  records_[*found].removed = true;
  // Block lookups test removal here, 4 bytes a record, rather than in the records.
  last_signatures_[*found] = kRemovedSignature;
  --live_;
}

void CrmIndex::KeyTable::freeze() {
  // Sorting only the new tail and merging keeps a refresh of a few changed records cheap.
  const auto middle = entries.begin() + static_cast<std::ptrdiff_t>(frozen);
  std::sort(middle, entries.end());
  std::inplace_merge(entries.begin(), middle, entries.end());
  frozen = entries.size();
  entries.shrink_to_fit();
  // An empty table (no mapping upserts on an External ID) needs no 256 KB of starts.
  if (entries.empty()) {
    starts.clear();
    return;
  }
  starts.assign(kPrefixes + 1, 0);
  for (const auto& entry : entries)
    ++starts[(entry.hash >> 16) + 1];
  for (std::size_t prefix = 1; prefix <= kPrefixes; ++prefix)
    starts[prefix] += starts[prefix - 1];
}

std::size_t CrmIndex::KeyTable::memory_bytes() const {
  return entries.capacity() * sizeof(KeyEntry) + starts.capacity() * sizeof(std::uint32_t);
}

void CrmIndex::freeze() {
  emails_.freeze();
  phones_.freeze();
  external_ids_.freeze();
  blocks_.freeze();
  // Loading doubles vectors as it goes; a frozen index should not carry that slack.
  arena_.shrink_to_fit();
  records_.shrink_to_fit();
  last_signatures_.shrink_to_fit();
}

namespace {
constexpr RecordIndex kEmptySlot = UINT32_MAX;
}

void CrmIndex::insert_id_slot(RecordIndex index) {
  if ((records_.size() + 1) * 2 > id_slots_.size()) {
    // Grow to keep the load under one half, re-inserting every record.
    std::vector<RecordIndex> old(std::max<std::size_t>(1024, id_slots_.size() * 2), kEmptySlot);
    id_slots_.swap(old);
    for (const auto r : old)
      if (r != kEmptySlot) insert_id_slot(r);
  }
  const std::size_t mask = id_slots_.size() - 1;
  std::size_t slot = hash_key(view(records_[index].id)) & mask;
  while (id_slots_[slot] != kEmptySlot)
    slot = (slot + 1) & mask;
  id_slots_[slot] = index;
}

std::optional<RecordIndex> CrmIndex::find_id(std::string_view id) const {
  if (id_slots_.empty()) return std::nullopt;
  const std::size_t mask = id_slots_.size() - 1;
  for (std::size_t slot = hash_key(id) & mask; id_slots_[slot] != kEmptySlot;
       slot = (slot + 1) & mask) {
    const auto r = id_slots_[slot];
    if (!records_[r].removed && view(records_[r].id) == id) return r;
  }
  return std::nullopt;
}

bool CrmIndex::record_has_key(RecordIndex r, std::string_view key, KeyKind kind) const {
  const auto& stored = records_[r];
  switch (kind) {
    case KeyKind::email:
      return view(stored.email) == key;
    case KeyKind::phone:
      return any_part(view(stored.phones), [&](std::string_view phone) { return phone == key; });
    case KeyKind::external_id:
      return any_part(view(stored.external_ids),
                      [&](std::string_view external_id) { return external_id == key; });
    case KeyKind::block: {
      for (const auto& candidate : blocking_keys(keys(r)))
        if (candidate == key) return true;
      return false;
    }
  }
  return false;
}

std::pair<const CrmIndex::KeyEntry*, const CrmIndex::KeyEntry*> CrmIndex::entries_of(
    const KeyTable& keys, std::string_view key) const {
  if (key.empty() || keys.starts.empty()) return {nullptr, nullptr};
  const auto hash = short_hash(key);
  const auto* prefix_first = keys.entries.data() + keys.starts[hash >> 16];
  const auto* prefix_last = keys.entries.data() + keys.starts[(hash >> 16) + 1];
  const auto* first = std::lower_bound(prefix_first, prefix_last, KeyEntry{hash, 0});
  return {first, std::upper_bound(first, prefix_last, KeyEntry{hash, UINT32_MAX})};
}

std::vector<RecordIndex> CrmIndex::lookup(const KeyTable& keys, std::string_view key, KeyKind kind,
                                          std::size_t at_most) const {
  std::vector<RecordIndex> out;
  const auto [first, last] = entries_of(keys, key);
  // Counted with the rare removed record or colliding key: a block is a prefilter.
  if (static_cast<std::size_t>(last - first) > at_most) return out;
  out.reserve(static_cast<std::size_t>(last - first));
  for (auto it = first; it != last; ++it) {
    // Blocks are only a prefilter for scoring: a rare hash collision costs one extra score.
    if (kind == KeyKind::block) {
      if (last_signatures_[it->record] != kRemovedSignature) out.push_back(it->record);
    } else if (!records_[it->record].removed && record_has_key(it->record, key, kind)) {
      out.push_back(it->record);
    }
  }
  // Entries are sorted by (hash, record): duplicates of a record are adjacent.
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<RecordIndex> CrmIndex::find_email(std::string_view email) const {
  return lookup(emails_, email, KeyKind::email);
}
std::vector<RecordIndex> CrmIndex::find_phone(std::string_view e164) const {
  return lookup(phones_, e164, KeyKind::phone);
}
std::vector<RecordIndex> CrmIndex::find_external_id(std::string_view key) const {
  return lookup(external_ids_, key, KeyKind::external_id);
}
std::vector<RecordIndex> CrmIndex::find_block(std::string_view blocking_key,
                                              std::size_t at_most) const {
  return lookup(blocks_, blocking_key, KeyKind::block, at_most);
}

PersonView CrmIndex::person(RecordIndex r) const {
  const auto& stored = records_[r];
  return {view(stored.first), view(stored.last), view(stored.domain), view(stored.company)};
}

PersonKeys CrmIndex::keys(RecordIndex r) const {
  const auto& stored = records_[r];
  PersonKeys keys;
  keys.first = view(stored.first);
  keys.last = view(stored.last);
  keys.email = view(stored.email);
  keys.email_domain = view(stored.domain);
  keys.company_key = view(stored.company);
  any_part(view(stored.phones), [&](std::string_view phone) {
    keys.phones.emplace_back(phone);
    return false;
  });
  any_part(view(stored.external_ids), [&](std::string_view external_id) {
    keys.external_ids.emplace_back(external_id);
    return false;
  });
  return keys;
}

std::size_t CrmIndex::memory_bytes() const {
  std::size_t bytes = arena_.capacity() + records_.capacity() * sizeof(Stored)
                      + emails_.memory_bytes() + phones_.memory_bytes()
                      + external_ids_.memory_bytes() + blocks_.memory_bytes();
  bytes += id_slots_.capacity() * sizeof(RecordIndex)
           + last_signatures_.capacity() * sizeof(std::uint64_t)
           + owner_spans_.size() * (sizeof(std::string) + sizeof(Span) + 2 * sizeof(void*));
  return bytes;
}

}  // namespace crmsync::reconcile
