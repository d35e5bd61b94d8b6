#include "daemon/reconcile/plan/operation_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <utility>
#include <vector>

#include "core/text/fnv1a.hpp"
#include "daemon/reconcile/diff/field_decision.hpp"

namespace crmsync::reconcile {

using mappings::ConflictPolicy;

namespace {

ValueKind kind_of(std::string_view field) {
  if (field == "Email" || field.ends_with("Email")) return ValueKind::email;
  if (field.find("Phone") != std::string_view::npos || field == "Fax") return ValueKind::phone;
  return ValueKind::text;
}

// Salesforce writes "2024-03-05T14:30:00.000+0000"; Dataverse "2024-03-05T14:30:00Z".
std::chrono::sys_time<std::chrono::milliseconds> parse_crm_time(std::string_view text) {
  std::tm tm{};
  int ms = 0;
  if (std::sscanf(std::string(text).c_str(), "%d-%d-%dT%d:%d:%d.%d", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms)
      < 6)
    return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::seconds(timegm(&tm))
                                                          + std::chrono::milliseconds(ms));
}

bool has_value(const CrmValues& values, std::string_view field) {
  return std::any_of(values.begin(), values.end(),
                     [&](const auto& entry) { return entry.first == field; });
}

}  // namespace

const mappings::CrmReference* reference_to(const mappings::CrmRecord& record,
                                           std::string_view object) {
  for (const auto& reference : record.references)
    if (reference.object == object && !reference.value.empty()) return &reference;
  return nullptr;
}

OperationBuilder::OperationBuilder(Plan& plan, const CrmSnapshot& snapshot,
                                   const MatchKeyBuilder& keys, const RecordValues& values,
                                   const PlannerSettings& settings,
                                   std::map<std::string, std::string> users)
    : plan_(plan),
      snapshot_(snapshot),
      keys_(keys),
      values_(values),
      settings_(settings),
      users_(std::move(users)) {}

const std::string* OperationBuilder::user_of(const std::string& rep) const {
  const auto found = users_.find(rep);
  return found == users_.end() ? nullptr : &found->second;
}

std::string OperationBuilder::account_for(const mappings::CrmRecord& record, std::size_t row,
                                          std::string& pending) {
  const auto* reference = reference_to(record, "Account");
  if (reference == nullptr) return {};
  const auto key = keys_.company_key(reference->value);
  if (key.empty()) return {};
  if (const auto found = snapshot_.accounts_by_key.find(key);
      found != snapshot_.accounts_by_key.end())
    return found->second;
  if (!reference->create) return {};
  if (!account_creates_.contains(key)) {
    PlannedOperation op;
    op.op.kind = CrmOperation::Kind::create;
    op.op.object = reference->object;
    op.op.values.emplace_back(reference->by, reference->value);
    // The contact's own related-object fields (Account.Website...) fill the new account.
    for (const auto& related : plan_.rows[row].mapped.records)
      if (related.object == reference->object)
        for (const auto& field : related.fields)
          if (!has_value(op.op.values, field.name))
            op.op.values.emplace_back(field.name, field.value);
    op.idempotency_key = fmt::format("create:{}:{}@{}", reference->object, key, settings_.run_id);
    op.rows.push_back(row);
    account_creates_.emplace(key, plan_.operations.size());
    plan_.operations.push_back(std::move(op));
  } else {
    plan_.operations[account_creates_[key]].rows.push_back(row);
  }
  pending = key;
  return {};
}

// The create each new person's row joins, in row order: the first row of a cluster opens it,
// owned by that row's rep. Its fields are merged later, by fill_creates().
void OperationBuilder::add_create(std::size_t i, std::size_t cluster_root) {
  const auto& row = plan_.rows[i];
  const auto& record = *row.mapped.primary();
  auto& decision = plan_.decisions[i];
  decision.action = RowAction::create;
  // By cluster root row: a slot a row, where a map spent a node on each of 100k creates.
  if (cluster_ops_.empty()) cluster_ops_.assign(plan_.rows.size(), kNoOperation);
  auto& operation = cluster_ops_[cluster_root];
  if (operation == kNoOperation) {
    operation = plan_.operations.size();
    creates_.push_back(operation);
    // Made in place: 100k operations moved into the plan were 12 ms of a 100k-row plan.
    auto& op = plan_.operations.emplace_back();
    op.op.kind = CrmOperation::Kind::create;
    op.op.object = record.object;
    op.op.external_id_field = record.external_id_field;
    // Its values (the owner, each field once, and an account) are filled by fill_creates(), on
    // two threads: 100k creates' values are 50 MB of memory touched for the first time.
    if (user_of(row.mapped.from.owner) == nullptr)
      decision.reason = fmt::format(
          "no active CRM user has the address '{}': the record is "
          "owned by the integration user",
          row.mapped.from.owner);
  }
  decision.operation = operation;
  // Account creates are planned here, in row order, so that their places in the plan do not
  // depend on how fill_creates() is split.
  if (row_account_.empty()) row_account_.assign(plan_.rows.size(), 0);
  RowAccount account;
  account.id = account_for(record, i, account.pending);
  if (!account.id.empty() || !account.pending.empty()) {
    row_account_[i] = static_cast<std::uint32_t>(accounts_.size());
    accounts_.push_back(std::move(account));
  }
  plan_.operations[operation].rows.push_back(i);
}

// Fields are merged in row order: the first row's value wins, the others fill what it left
// empty. Each create is filled by itself alone (its rows' decisions are its own), so the creates
// may be split between threads.
void OperationBuilder::fill_creates(std::size_t begin, std::size_t end) {
  for (std::size_t n = begin; n < end; ++n) {
    auto& op = plan_.operations[creates_[n]];
    // Owned by the rep of the row that opened it.
    const auto& opener = plan_.rows[op.rows.front()];
    // Room for the opener's fields, its owner and its account (an id, or one the apply fills
    // in once its Account is created): all a one-row create has. A spare slot a create was 7 MB
    // of 100k creates' values.
    const auto* owner = user_of(opener.mapped.from.owner);
    const auto& account = account_of(op.rows.front());
    op.op.values.reserve(opener.mapped.primary()->fields.size() + (owner ? 1 : 0)
                         + (account.id.empty() && account.pending.empty() ? 0 : 1));
    if (owner) op.op.values.emplace_back("OwnerId", *owner);
    Fnv1a64 members;
    for (const auto i : op.rows) {
      fill_create_row(op, i);
      char number[24];
      const auto item = std::to_chars(number, number + sizeof number, plan_.rows[i].item_id).ptr;
      members.add({number, static_cast<std::size_t>(item - number)})
          .add(":")
          .add(plan_.rows[i].row_key)
          .add(";");
    }
    // With the mapping's external id, a create is an upsert on it: sent twice, it makes one
    // record. A row without the value is a plain create.
    if (!op.op.external_id_field.empty() && has_value(op.op.values, op.op.external_id_field))
      op.op.kind = CrmOperation::Kind::upsert;
    else
      op.op.external_id_field.clear();
    // Joined by hand: through fmt, 100k creates' keys were 2% of a first sync's samples.
    auto& key = op.idempotency_key;
    const auto hex = members.hex();
    key.reserve(8 + op.op.object.size() + hex.size() + 21);
    key.append("create:").append(op.op.object).append(":").append(hex).append("@");
    char run[24];
    key.append(run, std::to_chars(run, run + sizeof run, settings_.run_id).ptr);
  }
}

void OperationBuilder::fill_create_row(PlannedOperation& op, std::size_t i) {
  const auto& record = *plan_.rows[i].mapped.primary();
  auto& decision = plan_.decisions[i];
  decision.fields.reserve(decision.fields.size() + record.fields.size());
  for (const auto& field : record.fields) {
    if (field.policy == ConflictPolicy::never) continue;
    const bool first = !has_value(op.op.values, field.name);
    if (first) op.op.values.emplace_back(field.name, field.value);
    decision.fields.push_back({field.name, std::nullopt, field.value,
                               first ? FieldAction::write : FieldAction::keep, field.policy,
                               first ? "new record" : "another row of this person came first"});
  }
  const auto& account = account_of(i);
  if (!account.id.empty() && !has_value(op.op.values, "AccountId")
      && op.pending_account_key.empty())
    op.op.values.emplace_back("AccountId", account.id);
  else if (!account.pending.empty() && !has_value(op.op.values, "AccountId")
           && op.pending_account_key.empty())
    op.pending_account_key = account.pending;
}

void OperationBuilder::add_update(std::size_t i, const std::string& id) {
  const auto& row = plan_.rows[i];
  const auto& record = *row.mapped.primary();
  auto& decision = plan_.decisions[i];
  auto [cached, fresh_lookup] = crm_values_.emplace(id, std::nullopt);
  if (fresh_lookup) cached->second = values_(id);
  const CrmValues empty;
  const CrmValues& current = cached->second ? *cached->second : empty;

  const auto index = snapshot_.contacts.find_id(id);
  const std::string owner(index ? snapshot_.contacts.owner_id(*index) : std::string_view());
  const auto* rep_user = user_of(row.mapped.from.owner);
  const bool other_owner = rep_user && !owner.empty() && owner != *rep_user;
  if (other_owner && settings_.other_owner == OtherOwnerPolicy::review) {
    decision.action = RowAction::review;
    decision.reason = fmt::format("{} is owned by another user ({})", id, owner);
    decision.candidates = {id};
    return;
  }
  const auto crm_modified = parse_crm_time(value_of(current, "LastModifiedDate").value_or(""));
  std::vector<std::pair<std::string, std::string>> writes;
  decision.fields.reserve(decision.fields.size() + record.fields.size() + 1);
  for (const auto& field : record.fields) {
    if (field.policy == ConflictPolicy::never) continue;
    auto policy = field.policy;
    if (other_owner && settings_.other_owner == OtherOwnerPolicy::fill_empty
        && policy != ConflictPolicy::crm_wins)
      policy = ConflictPolicy::fill_empty;
    const auto crm = value_of(current, field.name);
    const auto verdict = decide_field(
        policy, {field.value, crm, kind_of(field.name), row.mapped.from.modified, crm_modified});
    // The CRM's values are the builder's: what the plan views of them it keeps.
    FieldChange change{field.name,
                       crm ? std::optional<PlanText>(plan_.texts.keep(*crm)) : std::nullopt,
                       field.value,
                       verdict.action == FieldDecision::Action::write  ? FieldAction::write
                       : verdict.action == FieldDecision::Action::keep ? FieldAction::keep
                                                                       : FieldAction::unchanged,
                       policy,
                       plan_.texts.keep(verdict.reason)};
    if (verdict.action == FieldDecision::Action::write) {
      if (verdict.value != field.value) change.new_value = plan_.texts.keep(verdict.value);
      writes.emplace_back(field.name, verdict.value);
    }
    decision.fields.push_back(std::move(change));
  }
  // An existing contact without an account gets the rep's company; one with an account keeps
  // it (moving a contact between accounts is a person's decision).
  std::string pending;
  const auto crm_account = value_of(current, "AccountId");
  const bool crm_has_account = crm_account && !crm_account->empty();
  const auto account = crm_has_account ? std::string() : account_for(record, i, pending);
  if (!crm_has_account && (!account.empty() || !pending.empty())) {
    writes.emplace_back("AccountId", account);
    decision.fields.push_back(
        {"AccountId", std::nullopt, account.empty() ? "(new account)" : plan_.texts.keep(account),
         FieldAction::write, ConflictPolicy::fill_empty, "CRM has no account (fill_empty)"});
  }
  if (other_owner)
    decision.reason =
        fmt::format("owned by another user ({}): only empty fields are filled", owner);
  if (writes.empty()) {
    decision.action = RowAction::unchanged;
    return;
  }
  decision.action = RowAction::update;
  auto [at, inserted] = update_ops_.emplace(id, plan_.operations.size());
  if (inserted) {
    PlannedOperation op;
    op.op.kind = CrmOperation::Kind::update;
    op.op.object = record.object;
    op.op.id = id;
    op.idempotency_key = fmt::format("update:{}:{}@{}", record.object, id, settings_.run_id);
    plan_.operations.push_back(std::move(op));
  }
  auto& op = plan_.operations[at->second];
  op.rows.push_back(i);
  decision.operation = at->second;
  for (auto& [field, value] : writes) {
    if (field == "AccountId" && value.empty()) {
      if (op.pending_account_key.empty() && !has_value(op.op.values, "AccountId"))
        op.pending_account_key = pending;
      continue;
    }
    // Two rows wrote the same record: the first keeps the field, the later one is told.
    if (has_value(op.op.values, field)) {
      for (auto& change : decision.fields)
        if (change.field == field) {
          change.decision = FieldAction::keep;
          change.reason = "another row wrote this record first";
        }
      continue;
    }
    op.op.values.emplace_back(field, value);
  }
}

void OperationBuilder::order_for_sending() {
  auto& operations = plan_.operations;
  const auto rank = [](const PlannedOperation& op) -> std::size_t {
    if (op.op.object == "Account") return 0;
    switch (op.op.kind) {
      case CrmOperation::Kind::create:
        return 1;
      case CrmOperation::Kind::upsert:
        return 2;
      case CrmOperation::Kind::update:
        return 3;
    }
    return 3;
  };
  // Four ranks, each kept in plan order: a counting sort, one pass to count and one to place.
  std::vector<std::uint8_t> ranks(operations.size());
  std::array<std::size_t, 5> starts{};
  for (std::size_t i = 0; i < operations.size(); ++i) {
    ranks[i] = static_cast<std::uint8_t>(rank(operations[i]));
    ++starts[ranks[i] + 1];
  }
  for (std::size_t r = 1; r < starts.size(); ++r)
    starts[r] += starts[r - 1];
  std::vector<std::size_t> new_position(operations.size());
  for (std::size_t i = 0; i < operations.size(); ++i)
    new_position[i] = starts[ranks[i]]++;
  for (auto& decision : plan_.decisions)
    if (decision.operation) decision.operation = new_position[*decision.operation];
  // Placed by following each cycle of the permutation, in place (which uses new_position up): a
  // second vector of 100k operations was 28 MB more at the plan's peak, and a first sync's
  // creates are in order already.
  for (std::size_t i = 0; i < operations.size(); ++i)
    while (new_position[i] != i) {
      const auto to = new_position[i];
      std::swap(operations[i], operations[to]);
      std::swap(new_position[i], new_position[to]);
    }
}

}  // namespace crmsync::reconcile
