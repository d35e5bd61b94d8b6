// connectors/crm.hpp — what every CRM connector offers the engine, in connector-neutral terms:
// describe an object, stream records (paged, incremental), apply batches of writes with one
// result per operation, and count the calls spent. The engine (daemon/reconcile) sees only this.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace crmsync {

struct CrmFieldInfo {
  std::string name;
  std::string label;
  std::string type;  // the CRM's own type name (string, email, phone, picklist, reference, ...)
  std::uint32_t length = 0;
  bool nillable = true;
  bool createable = true;
  bool updateable = true;
  bool defaulted_on_create = false;
  bool external_id = false;
  bool unique = false;
  bool id_lookup = false;
  bool restricted_picklist = false;
  std::vector<std::string> picklist_values;  // active values
  std::vector<std::string> reference_to;

  // Must be given on create: not nillable, no server default, and writable.
  bool required_on_create() const { return createable && !nillable && !defaulted_on_create; }
};

struct CrmSchema {
  std::string object;
  std::string key_prefix;
  std::vector<CrmFieldInfo> fields;

  const CrmFieldInfo* field(std::string_view name) const;
};

// A read of one object: the listed fields of records changed since a watermark (inclusive), or
// of records whose `in_field` is one of `in_values`.
struct CrmQuery {
  std::string object;
  std::vector<std::string> fields;  // may name parent fields: "Account.Name", "Owner.Email"
  std::optional<std::string> modified_since;  // ISO 8601 UTC; by SystemModstamp / modifiedon
  bool include_deleted = false;               // also records deleted since (IsDeleted = true)
  std::string in_field;
  std::vector<std::string> in_values;
};

// One record: field name -> value (nullopt for null). Parent fields use dotted names.
using CrmValues = std::vector<std::pair<std::string, std::optional<std::string>>>;

std::optional<std::string_view> value_of(const CrmValues& values, std::string_view field);

struct CrmOperation {
  enum class Kind { create, update, upsert };
  Kind kind = Kind::create;
  std::string object;
  std::string id;                 // update: the record to change
  std::string external_id_field;  // upsert: the key field (its value is in `values`)
  CrmValues values;               // fields to write; nullopt clears a field
  bool allow_duplicates = false;  // save despite an "alert" duplicate rule
};

// "create", "update", "upsert": how logs, summaries and the outbox name an operation's kind.
std::string_view to_string(CrmOperation::Kind kind);

struct CrmOperationResult {
  bool success = false;
  std::string id;                                     // the record written (created or updated)
  bool created = false;                               // upsert: true when it inserted
  ErrorCategory category = ErrorCategory::permanent;  // for failures
  std::string code;                                   // the CRM's error code
  std::string message;                                // plain words for the rep's report
  std::vector<std::string> fields;
  std::vector<std::string> duplicate_ids;  // the CRM's duplicate rule matched these
};

struct CrmUsage {
  std::map<std::string, int> calls;  // by kind: token, describe, query, collections, bulk...
  std::optional<std::int64_t> used;  // the CRM's own count of today's calls, when it says
  std::optional<std::int64_t> limit;
  int total() const;
};

class Crm {
 public:
  virtual ~Crm() = default;
  virtual CrmSchema describe(std::string_view object) = 0;
  // Streams every matching record to `out`, page by page; returns how many.
  virtual std::size_t query(const CrmQuery& query,
                            const std::function<void(const CrmValues&)>& out) = 0;
  // Several reads at once: `out(i, record)` for each record of queries[i]. A connector whose API
  // takes several queries in one call overrides this; by default they run one after another.
  virtual void query_together(std::span<const CrmQuery> queries,
                              const std::function<void(std::size_t, const CrmValues&)>& out);
  // Applies the operations in as few calls as the API allows; one result per operation, in order.
  // Throws crmsync::Error only when nothing could be applied (auth, outage, spent allowance).
  virtual std::vector<CrmOperationResult> apply(std::span<const CrmOperation> operations) = 0;
  // The same, running `before_writing` once before the first request that can change the CRM's
  // data (a Bulk job's UploadComplete, a Collections write); requests that cannot (creating and
  // filling a job) may come first. A caller that must record a send durably before it happens
  // does so there, while the connector prepares. When it throws, nothing has been written.
  virtual std::vector<CrmOperationResult> apply_gated(std::span<const CrmOperation> operations,
                                                      const std::function<void()>& before_writing) {
    before_writing();
    return apply(operations);
  }
  virtual CrmUsage usage() const = 0;
  // From this many operations of one kind and object in one apply() call, the connector switches
  // to a bulk path that costs a few calls in all; 0 when it has none. Callers that chunk their
  // writes hand such groups over whole.
  virtual std::size_t bulk_threshold() const { return 0; }
};

}  // namespace crmsync
