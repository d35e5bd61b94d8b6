// daemon/reconcile/index/crm_index.hpp — what crmsync knows of the CRM's records, in memory, for
// matching: exact keys (email, E.164 phone), blocking keys for fuzzy matching, and the fields
// diffs need. Built for 1M+ contacts: strings live in one arena and every key index is a sorted
// vector of (64-bit hash, record) pairs — about a fifth of the memory of hash maps of strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "daemon/reconcile/match/person_match.hpp"

namespace crmsync::reconcile {

using RecordIndex = std::uint32_t;

// One CRM record as loaded from the CRM (or the state store's copy of it).
struct IndexedRecord {
  std::string id;  // CRM id (18-character Salesforce id, Dataverse GUID)
  std::string owner_id;
  std::string modstamp;  // SystemModstamp / modifiedon, ISO 8601
  PersonKeys keys;       // normalised match keys
};

class CrmIndex {
 public:
  // Adds or replaces (same id) a record. Call `freeze()` after a batch of additions and before
  // lookups; lookups on an unfrozen index see only what was frozen before.
  void add(const IndexedRecord& record);
  void add(std::string_view id, std::string_view owner_id, std::string_view modstamp,
           const PersonKeys& keys);
  void remove(std::string_view id);
  void freeze();
  std::size_t size() const noexcept { return live_; }
  std::optional<RecordIndex> find_id(std::string_view id) const;
  // Records sharing the key; empty when none. Hash collisions are filtered out.
  std::vector<RecordIndex> find_email(std::string_view email) const;
  std::vector<RecordIndex> find_phone(std::string_view e164) const;
  // `key`: external_id_key(field, value).
  std::vector<RecordIndex> find_external_id(std::string_view key) const;
  // A block larger than `at_most` entries is returned empty, without copying it: blocks that
  // large say nothing about identity (a big customer's email domain), and callers skip them.
  std::vector<RecordIndex> find_block(std::string_view blocking_key,
                                      std::size_t at_most = SIZE_MAX) const;

  std::string_view id(RecordIndex r) const { return view(records_[r].id); }
  std::string_view owner_id(RecordIndex r) const { return view(records_[r].owner_id); }
  std::string_view modstamp(RecordIndex r) const { return view(records_[r].modstamp); }
  PersonKeys keys(RecordIndex r) const;    // materialised copy
  PersonView person(RecordIndex r) const;  // views into the index, for scoring
  // last_name_signature() of the record's last name: 8 bytes a record, read before its names.
  std::uint64_t last_name_signature(RecordIndex r) const { return last_signatures_[r]; }

  std::size_t memory_bytes() const;

 private:
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  struct Stored {
    Span id, owner_id, modstamp, first, last, email, domain, company;
    Span phones;        // '\n'-joined
    Span external_ids;  // '\n'-joined
    bool removed = false;
  };
  // 8 bytes an entry: a 32-bit hash is enough to narrow a lookup to a handful of records, which
  // are then compared in full (blocks, a prefilter for scoring, are not).
  struct KeyEntry {
    std::uint32_t hash;
    RecordIndex record;
    bool operator<(const KeyEntry& other) const {
      return hash < other.hash || (hash == other.hash && record < other.record);
    }
  };
  enum class KeyKind { email, phone, external_id, block };
  // Sorted entries of one kind of key, and where each top-16-bit hash prefix starts in them: a
  // lookup then searches a few cache lines, not the whole vector (tens of MB for 1M contacts).
  struct KeyTable {
    std::vector<KeyEntry> entries;  // sorted up to `frozen`; added since then after it
    std::size_t frozen = 0;
    std::vector<std::uint32_t> starts;  // 65,537 offsets into the frozen entries
    void freeze();
    std::size_t memory_bytes() const;
  };

  Span store(std::string_view text);
  Span store_joined(const std::vector<std::string>& texts);
  std::string_view view(Span span) const { return {arena_.data() + span.offset, span.length}; }
  std::vector<RecordIndex> lookup(const KeyTable& keys, std::string_view key, KeyKind kind,
                                  std::size_t at_most = SIZE_MAX) const;
  // The frozen entries whose hash is the key's: [first, last).
  std::pair<const KeyEntry*, const KeyEntry*> entries_of(const KeyTable& keys,
                                                         std::string_view key) const;
  bool record_has_key(RecordIndex r, std::string_view key, KeyKind kind) const;

  std::string arena_;
  std::vector<Stored> records_;
  // Beside records_, one a record. A removed record's is 0, the signature of no last name, which
  // no record in a block has (a person without a last name is filed under no block).
  std::vector<std::uint64_t> last_signatures_;
  static constexpr std::uint64_t kRemovedSignature = 0;
  // Owners repeat (a few hundred users own a million contacts): their ids are stored once.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>()(text);
    }
  };
  std::unordered_map<std::string, Span, TextHash, std::equal_to<>> owner_spans_;
  // Open addressing over record numbers, keyed by the id's hash: 4 bytes a slot instead of a
  // node per id. Removed records stay as tombstones until the index is rebuilt.
  std::vector<RecordIndex> id_slots_;
  void insert_id_slot(RecordIndex index);
  KeyTable emails_, phones_, external_ids_, blocks_;
  std::size_t live_ = 0;
};

std::uint64_t hash_key(std::string_view key) noexcept;

}  // namespace crmsync::reconcile
