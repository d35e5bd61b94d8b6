// daemon/reconcile/index/crm_snapshot.hpp — what the engine knows of the CRM during one cycle:
// the contact index for matching, accounts by company key for lookups, and each record's field
// values for diffs. Kept in the state store (table crm_index) and refreshed incrementally: only
// records changed since the stored watermark (SystemModstamp) are queried, deletions through
// queryAll, so a restart reloads nothing it already has.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "connectors/crm.hpp"
#include "core/text/json_writer.hpp"
#include "daemon/reconcile/index/crm_index.hpp"
#include "daemon/reconcile/index/match_keys.hpp"

namespace crmsync::state {
class StateStore;
}

namespace crmsync::reconcile {

// The objects the engine indexes, and the fields it reads of each.
struct IndexedObject {
  std::string object;               // Contact, Account
  std::vector<std::string> fields;  // queried (Id, SystemModstamp and OwnerId always)
};

struct CrmSnapshot {
  CrmIndex contacts;
  std::unordered_map<std::string, std::string> accounts_by_key;  // company key -> Account id
  std::unordered_map<std::string, std::string> account_names;    // Account id -> Name
};

class CrmIndexStore {
 public:
  CrmIndexStore(state::StateStore& store, const MatchKeyBuilder& keys)
      : store_(store), keys_(keys) {}

  // Queries what changed in the CRM since each object's watermark and saves it; returns how many
  // records arrived. The first refresh of an object loads it whole. `also` are other reads sent
  // with these (one call where the connector allows), their records handed to `also_out`.
  using AlsoRecords = std::function<void(std::size_t query, const CrmValues&)>;
  std::size_t refresh(Crm& crm, const std::vector<IndexedObject>& objects,
                      std::span<const CrmQuery> also = {}, const AlsoRecords& also_out = {});
  // Saves one record as the CRM now has it (after a write of ours, or a recovery query).
  void save(const std::string& object, const CrmValues& values);

  // Builds the in-memory indexes from the stored copy.
  CrmSnapshot load();

  // The stored field values of one record; nullopt when unknown or deleted.
  std::optional<CrmValues> values(const std::string& object, const std::string& id);

 private:
  state::StateStore& store_;
  const MatchKeyBuilder& keys_;
};

// Parses the JSON object the index stores per record.
CrmValues parse_stored_values(std::string_view json);
std::string stored_values_json(const CrmValues& values);
// The same object, written into `json` (an outbox payload holds it among other things).
void write_stored_values(JsonWriter& json, const CrmValues& values);

}  // namespace crmsync::reconcile
