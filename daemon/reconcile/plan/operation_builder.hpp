// daemon/reconcile/plan/operation_builder.hpp — turns the planner's verdicts into the CRM writes
// they need: one create per new-person cluster (an upsert where the mapping has an external id),
// one update per matched record with each field decided by its conflict policy, an Account
// create per new company ahead of the contacts that wait for it, and the order that sends each
// kind together for the fewest calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/reconcile/plan/planner.hpp"

namespace crmsync::reconcile {

class OperationBuilder {
 public:
  // `users`: rep -> CRM user id, for the reps whose rows write (one batched lookup).
  OperationBuilder(Plan& plan, const CrmSnapshot& snapshot, const MatchKeyBuilder& keys,
                   const RecordValues& values, const PlannerSettings& settings,
                   std::map<std::string, std::string> users);

  // A row of a new person: joins (or opens) the create of its cluster, whose root row it names.
  void add_create(std::size_t row, std::size_t cluster_root);
  // After the last add_create: the creates' fields, kinds (upsert or create) and idempotency
  // keys, for creates [begin, end) of create_count(). Disjoint ranges may be filled at once, on
  // different threads.
  std::size_t create_count() const { return creates_.size(); }
  void fill_creates(std::size_t begin, std::size_t end);
  // A row matched to the CRM record `crm_id`: its field decisions, merged into that record's one
  // update (or none, when nothing is to be written).
  void add_update(std::size_t row, const std::string& crm_id);
  // Accounts first (contacts refer to them), then creates, upserts, updates.
  void order_for_sending();

 private:
  const std::string* user_of(const std::string& rep) const;  // nullptr: no active user
  // The Account a row's record refers to: its id when the CRM has it; otherwise a create
  // planned once per company key, which `pending` then names ("" when the row names none).
  std::string account_for(const mappings::CrmRecord& record, std::size_t row, std::string& pending);
  void fill_create_row(PlannedOperation& op, std::size_t row);

  // What account_for() found for a create's row: an id, or the key of a planned Account.
  struct RowAccount {
    std::string id, pending;
  };
  const RowAccount& account_of(std::size_t row) const { return accounts_[row_account_[row]]; }

  Plan& plan_;
  const CrmSnapshot& snapshot_;
  const MatchKeyBuilder& keys_;
  const RecordValues& values_;
  const PlannerSettings& settings_;
  std::map<std::string, std::string> users_;
  std::map<std::string, std::size_t> account_creates_;  // company key -> operation
  static constexpr std::size_t kNoOperation = SIZE_MAX;
  std::vector<std::size_t> cluster_ops_;  // cluster root row -> operation
  std::vector<std::size_t> creates_;      // the contacts' create operations
  // By row, for creates' rows: an index into accounts_, whose first is none. Most rows name no
  // company, and two strings a row were 6 MB of a 100k-row plan.
  std::vector<std::uint32_t> row_account_;
  std::vector<RowAccount> accounts_{RowAccount{}};
  std::map<std::string, std::size_t> update_ops_;  // CRM id -> operation
  std::map<std::string, std::optional<CrmValues>> crm_values_;
};

// The record's reference to `object` when it names one (Account: the company).
const mappings::CrmReference* reference_to(const mappings::CrmRecord& record,
                                           std::string_view object);

}  // namespace crmsync::reconcile
