#include "daemon/reconcile/plan/planner.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <unordered_map>

#include "core/text/fnv1a.hpp"
#include "daemon/reconcile/diff/field_decision.hpp"
#include "daemon/reconcile/match/union_find.hpp"

namespace crmsync::reconcile {

using mappings::ConflictPolicy;

std::string_view to_string(RowAction action) noexcept {
  switch (action) {
    case RowAction::create:
      return "create";
    case RowAction::update:
      return "update";
    case RowAction::unchanged:
      return "unchanged";
    case RowAction::reject:
      return "reject";
    case RowAction::review:
      return "review";
  }
  return "unchanged";
}

std::string rejection_text(const mappings::Rejection& why) {
  std::string text = why.reason;
  if (why.column != 0 && !why.column_name.empty())
    text += fmt::format(" (column {} '{}', value '{}')", why.column, why.column_name, why.value);
  else if (why.column != 0)
    text += fmt::format(" (column {})", why.column);
  return text;
}

struct Planner::Candidate {
  enum class Kind { decided, existing, fresh };
  Kind kind = Kind::decided;
  PersonKeys keys;
  std::string crm_id;
  std::size_t cluster_root = 0;
};

namespace {

constexpr std::size_t kMaxClusterBlock = 1000;

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

const mappings::CrmReference* reference_to(const mappings::CrmRecord& record,
                                           std::string_view object) {
  for (const auto& reference : record.references)
    if (reference.object == object && !reference.value.empty()) return &reference;
  return nullptr;
}

void set_value(CrmValues& values, const std::string& field, const std::string& value) {
  for (auto& [name, existing] : values)
    if (name == field) {
      existing = value;
      return;
    }
  values.emplace_back(field, value);
}

bool has_value(const CrmValues& values, std::string_view field) {
  return std::any_of(values.begin(), values.end(),
                     [&](const auto& entry) { return entry.first == field; });
}

std::string short_hash(std::string_view text) {
  return Fnv1a64().add(text).hex();
}

}  // namespace

Planner::Planner(const CrmSnapshot& snapshot, const MatchKeyBuilder& keys, RecordValues values,
                 UserDirectory users, PlannerSettings settings)
    : snapshot_(snapshot),
      keys_(keys),
      values_(std::move(values)),
      users_(std::move(users)),
      settings_(settings),
      matcher_(snapshot.contacts, settings.thresholds) {}

std::string Planner::company_of(const mappings::CrmRecord& record) const {
  const auto* account = reference_to(record, "Account");
  return account ? account->value : std::string();
}

void Planner::plan(Plan& plan) {
  plan.decisions.assign(plan.rows.size(), {});
  std::vector<Candidate> candidates(plan.rows.size());
  for (std::size_t i = 0; i < plan.rows.size(); ++i)
    decide_row(plan.rows[i], plan.decisions[i], candidates[i]);
  cluster_new_rows(plan, candidates);
  build_operations(plan, candidates);
}

void Planner::decide_row(const SourceRow& row, RowPlan& decision, Candidate& candidate) {
  if (row.from_unchanged_file) {
    // The file is byte for byte what was last synced: its rows cost nothing this cycle.
    decision.crm_id = row.linked_id.value_or("");
    decision.reason = row.stored_reason;
    if (row.stored_status == "rejected")
      decision.action = RowAction::reject;
    else if (row.stored_status == "review")
      decision.action = RowAction::review;
    else
      decision.action = RowAction::unchanged;
    return;
  }
  const auto* primary = row.mapped.primary();
  if (row.mapped.outcome == mappings::MappedRow::Outcome::rejected || primary == nullptr) {
    decision.action = RowAction::reject;
    decision.reason =
        row.mapped.rejection ? rejection_text(*row.mapped.rejection) : "the row holds no record";
    return;
  }
  candidate.keys = keys_.from_row(*primary, company_of(*primary));
  const auto link = row.reviewed_id ? row.reviewed_id : row.linked_id;
  auto match = matcher_.match(candidate.keys, link);
  decision.match = std::string(to_string(match.kind));
  decision.score = match.score;
  decision.evidence = match.evidence;
  if (row.reviewed_id && match.kind == MatchKind::linked) {
    decision.match = "reviewed";
    decision.evidence = {fmt::format("a reviewer chose {}", *row.reviewed_id)};
  }
  switch (match.kind) {
    case MatchKind::linked:
    case MatchKind::email:
    case MatchKind::phone:
    case MatchKind::fuzzy:
      candidate.kind = Candidate::Kind::existing;
      candidate.crm_id = std::string(snapshot_.contacts.id(*match.record));
      decision.crm_id = candidate.crm_id;
      return;
    case MatchKind::review:
      if (row.review_rejected) {
        decision.match = "none";
        decision.evidence.insert(decision.evidence.begin(),
                                 "a reviewer said none of the candidates is this person");
        candidate.kind = Candidate::Kind::fresh;
        return;
      }
      decision.action = RowAction::review;
      decision.reason = match.evidence.empty() ? "uncertain match" : match.evidence.front();
      for (const auto r : match.candidates)
        decision.candidates.emplace_back(snapshot_.contacts.id(r));
      return;
    case MatchKind::none:
      candidate.kind = Candidate::Kind::fresh;
      return;
  }
}

// Rows that are the same new person — repeated in one file, or in several reps' files — are
// joined (union-find over the matcher's own evidence: email, phone, fuzzy score) so that they
// become exactly one new record.
void Planner::cluster_new_rows(Plan& plan, std::vector<Candidate>& candidates) {
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].kind == Candidate::Kind::fresh) fresh.push_back(i);
  CrmIndex rows;
  for (std::size_t n = 0; n < fresh.size(); ++n)
    rows.add({std::to_string(n), "", "", candidates[fresh[n]].keys});
  rows.freeze();
  UnionFind sets(fresh.size());
  for (std::size_t n = 0; n < fresh.size(); ++n) {
    const auto& keys = candidates[fresh[n]].keys;
    auto join = [&](const std::vector<RecordIndex>& others) {
      for (const auto other : others)
        sets.unite(n, other);
    };
    if (!keys.email.empty()) join(rows.find_email(keys.email));
    for (const auto& phone : keys.phones)
      join(rows.find_phone(phone));
    const auto signature = last_name_signature(keys.last);
    for (const auto& block : blocking_keys(keys)) {
      // As in the matcher: a block this large (a big customer's email domain) says nothing about
      // identity, and scoring it would be quadratic; the other blocks decide.
      const auto members = rows.find_block(block, kMaxClusterBlock);
      for (const auto other : members)
        if (other != n
            && may_reach_floor(signature, rows.last_name_signature(other),
                               settings_.thresholds.match)
            && similarity_score(view_of(keys), rows.person(other), settings_.thresholds.match)
                   >= settings_.thresholds.match)
          sets.unite(n, other);
    }
  }
  std::unordered_map<std::size_t, std::string> names;
  for (std::size_t n = 0; n < fresh.size(); ++n) {
    const auto root = sets.find(n);
    auto [at, inserted] = names.emplace(root, "");
    if (inserted) at->second = fmt::format("new-{}", names.size());
    candidates[fresh[n]].cluster_root = fresh[root];
    plan.decisions[fresh[n]].cluster = at->second;
  }
}

void Planner::build_operations(Plan& plan, std::vector<Candidate>& candidates) {
  // One batched user lookup for every rep whose rows write anything.
  std::set<std::string> reps;
  std::size_t writing = 0;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (candidates[i].kind != Candidate::Kind::decided) {
      reps.insert(plan.rows[i].mapped.from.owner);
      ++writing;
    }
  // At most an operation per writing row (accounts aside): grown by doubling, a 100k-operation
  // plan moved every operation some 17 times and ended a third larger than it needed.
  plan.operations.reserve(plan.operations.size() + writing);
  const auto users = reps.empty() ? std::map<std::string, std::string>() : users_(reps);
  auto user_of = [&](const std::string& rep) -> std::optional<std::string> {
    const auto found = users.find(rep);
    return found == users.end() ? std::nullopt : std::optional<std::string>(found->second);
  };

  // Accounts: found by company key, or created once per key before the contacts that need them.
  std::map<std::string, std::size_t> account_creates;  // company key -> operation
  auto account_for = [&](const mappings::CrmRecord& record, std::size_t row,
                         std::string& pending) -> std::string {
    const auto* reference = reference_to(record, "Account");
    if (reference == nullptr) return {};
    const auto key = keys_.company_key(reference->value);
    if (key.empty()) return {};
    if (const auto found = snapshot_.accounts_by_key.find(key);
        found != snapshot_.accounts_by_key.end())
      return found->second;
    if (!reference->create) return {};
    if (!account_creates.contains(key)) {
      PlannedOperation op;
      op.op.kind = CrmOperation::Kind::create;
      op.op.object = reference->object;
      op.op.values.emplace_back(reference->by, reference->value);
      // The contact's own related-object fields (Account.Website...) fill the new account.
      for (const auto& related : plan.rows[row].mapped.records)
        if (related.object == reference->object)
          for (const auto& field : related.fields)
            if (!has_value(op.op.values, field.name))
              op.op.values.emplace_back(field.name, field.value);
      op.idempotency_key = fmt::format("create:{}:{}@{}", reference->object, key, settings_.run_id);
      op.rows.push_back(row);
      account_creates.emplace(key, plan.operations.size());
      plan.operations.push_back(std::move(op));
    } else {
      plan.operations[account_creates[key]].rows.push_back(row);
    }
    pending = key;
    return {};
  };

  // Creates: one per cluster, fields merged in row order (the first row's value wins, the others
  // fill what it left empty), owned by the rep whose row comes first.
  std::map<std::size_t, std::size_t> cluster_ops;  // cluster root row -> operation
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].kind != Candidate::Kind::fresh) continue;
    const auto& row = plan.rows[i];
    const auto& record = *row.mapped.primary();
    auto& decision = plan.decisions[i];
    decision.action = RowAction::create;
    const auto root = candidates[i].cluster_root;
    auto [at, inserted] = cluster_ops.emplace(root, plan.operations.size());
    if (inserted) {
      PlannedOperation op;
      op.op.kind = CrmOperation::Kind::create;
      op.op.object = record.object;
      op.op.external_id_field = record.external_id_field;
      op.cluster = decision.cluster;
      plan.operations.push_back(std::move(op));
      if (const auto owner = user_of(row.mapped.from.owner))
        set_value(plan.operations[at->second].op.values, "OwnerId", *owner);
      else
        decision.reason = fmt::format(
            "no active CRM user has the address '{}': the record is "
            "owned by the integration user",
            row.mapped.from.owner);
    }
    decision.operation = at->second;
    std::string pending;
    const auto account = account_for(record, i, pending);
    auto& op = plan.operations[at->second];
    op.rows.push_back(i);
    decision.fields.reserve(decision.fields.size() + record.fields.size() + 1);
    for (const auto& field : record.fields) {
      if (field.policy == ConflictPolicy::never) continue;
      const bool first = !has_value(op.op.values, field.name);
      if (first) op.op.values.emplace_back(field.name, field.value);
      decision.fields.push_back({field.name, std::nullopt, field.value, first ? "write" : "keep",
                                 first ? "new record" : "another row of this person came first",
                                 field.policy});
    }
    if (!account.empty() && !has_value(op.op.values, "AccountId") && op.pending_account_key.empty())
      op.op.values.emplace_back("AccountId", account);
    else if (!pending.empty() && !has_value(op.op.values, "AccountId")
             && op.pending_account_key.empty())
      op.pending_account_key = pending;
  }
  for (auto& [root, index] : cluster_ops) {
    auto& op = plan.operations[index];
    // With the mapping's external id, a create is an upsert on it: sent twice, it makes one
    // record. A row without the value is a plain create.
    if (!op.op.external_id_field.empty() && has_value(op.op.values, op.op.external_id_field))
      op.op.kind = CrmOperation::Kind::upsert;
    else
      op.op.external_id_field.clear();
    std::string members;
    for (const auto r : op.rows)
      members += fmt::format("{}:{};", plan.rows[r].item_id, plan.rows[r].row_key);
    op.idempotency_key =
        fmt::format("create:{}:{}@{}", op.op.object, short_hash(members), settings_.run_id);
  }

  // Updates: per CRM record, one operation for every row that matched it.
  std::map<std::string, std::size_t> update_ops;
  std::map<std::string, std::optional<CrmValues>> crm_values;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].kind != Candidate::Kind::existing) continue;
    const auto& row = plan.rows[i];
    const auto& record = *row.mapped.primary();
    auto& decision = plan.decisions[i];
    const auto& id = candidates[i].crm_id;
    auto [cached, fresh_lookup] = crm_values.emplace(id, std::nullopt);
    if (fresh_lookup) cached->second = values_(id);
    const CrmValues empty;
    const CrmValues& current = cached->second ? *cached->second : empty;

    const auto index = snapshot_.contacts.find_id(id);
    const std::string owner(index ? snapshot_.contacts.owner_id(*index) : std::string_view());
    const auto rep_user = user_of(row.mapped.from.owner);
    const bool other_owner = rep_user && !owner.empty() && owner != *rep_user;
    if (other_owner && settings_.other_owner == OtherOwnerPolicy::review) {
      decision.action = RowAction::review;
      decision.reason = fmt::format("{} is owned by another user ({})", id, owner);
      decision.candidates = {id};
      continue;
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
      FieldChange change{field.name,
                         crm ? std::optional<std::string>(std::string(*crm)) : std::nullopt,
                         field.value,
                         verdict.action == FieldDecision::Action::write  ? "write"
                         : verdict.action == FieldDecision::Action::keep ? "keep"
                                                                         : "unchanged",
                         verdict.reason,
                         policy};
      if (verdict.action == FieldDecision::Action::write) {
        change.new_value = verdict.value;
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
      decision.fields.push_back({"AccountId", std::nullopt,
                                 account.empty() ? "(new account)" : account, "write",
                                 "CRM has no account (fill_empty)", ConflictPolicy::fill_empty});
    }
    if (other_owner)
      decision.reason =
          fmt::format("owned by another user ({}): only empty fields are filled", owner);
    if (writes.empty()) {
      decision.action = RowAction::unchanged;
      continue;
    }
    decision.action = RowAction::update;
    auto [at, inserted] = update_ops.emplace(id, plan.operations.size());
    if (inserted) {
      PlannedOperation op;
      op.op.kind = CrmOperation::Kind::update;
      op.op.object = record.object;
      op.op.id = id;
      op.idempotency_key = fmt::format("update:{}:{}@{}", record.object, id, settings_.run_id);
      plan.operations.push_back(std::move(op));
    }
    auto& op = plan.operations[at->second];
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
            change.decision = "keep";
            change.reason = "another row wrote this record first";
          }
        continue;
      }
      op.op.values.emplace_back(field, value);
    }
  }

  // Send order: Accounts first (contacts refer to them), then creates, upserts, updates: each kind
  // together, for the fewest calls.
  std::vector<std::size_t> order(plan.operations.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  auto rank = [&](std::size_t i) {
    const auto& op = plan.operations[i];
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
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  std::vector<std::size_t> new_position(order.size());
  std::vector<PlannedOperation> sorted;
  sorted.reserve(order.size());
  for (std::size_t n = 0; n < order.size(); ++n) {
    new_position[order[n]] = n;
    sorted.push_back(std::move(plan.operations[order[n]]));
  }
  plan.operations = std::move(sorted);
  for (auto& decision : plan.decisions)
    if (decision.operation) decision.operation = new_position[*decision.operation];
}

}  // namespace crmsync::reconcile
