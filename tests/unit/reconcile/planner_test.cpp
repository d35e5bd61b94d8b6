// The planner on hand-made rows and a small CRM: fill_empty never clobbers, equivalent values are
// no change, the same new person in two reps' files is one create owned by the first rep, two
// rows on one record are one update, another rep's record is only filled, accounts are found by
// company key or created once before the contacts that need them, ties go to review.
#include "daemon/reconcile/plan/planner.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

// Rows are written with designated initializers that name only what a case is about; the other
// members keep their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace crmsync::reconcile {
namespace {

using mappings::ConflictPolicy;

struct Row {
  std::string rep = "alice@acme.example";
  std::string file = "contacts.csv";
  std::uint32_t row = 2;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string company;
  ConflictPolicy policy = ConflictPolicy::fill_empty;
  std::string external_id_field;
};

SourceRow make_row(const Row& spec, std::int64_t item = 1) {
  SourceRow row;
  row.item_id = item;
  row.row_key = spec.file + std::to_string(spec.row);
  row.mapped.from = {"reps", spec.rep, spec.file, "", spec.row, {}};
  mappings::CrmRecord record;
  record.object = "Contact";
  record.external_id_field = spec.external_id_field;
  for (const auto& [name, value] : spec.fields)
    record.fields.push_back({name, value, spec.policy});
  if (!spec.company.empty())
    record.references.push_back(
        {"AccountId", "Account", "Name", spec.company, true, ConflictPolicy::fill_empty});
  record.references.push_back({"OwnerId", "User", "Email", spec.rep, false, ConflictPolicy::never});
  row.mapped.records.push_back(std::move(record));
  return row;
}

class PlannerTest : public ::testing::Test {
 protected:
  void add_contact(const std::string& id, const std::string& owner, CrmValues values) {
    values.emplace_back("Id", id);
    snapshot_.contacts.add({id, owner, "2024-01-01T00:00:00.000+0000", keys_.from_crm(values)});
    stored_[id] = values;
  }
  Plan plan(std::vector<SourceRow> rows, PlannerSettings settings = {}) {
    snapshot_.contacts.freeze();
    Plan plan;
    plan.rows = std::move(rows);
    Planner planner(
        snapshot_, keys_,
        [this](const std::string& id) -> std::optional<CrmValues> {
          if (auto at = stored_.find(id); at != stored_.end()) return at->second;
          return std::nullopt;
        },
        [this](const std::set<std::string>& reps) {
          ++user_lookups_;
          std::map<std::string, std::string> out;
          for (const auto& rep : reps)
            if (users_.contains(rep)) out[rep] = users_.at(rep);
          return out;
        },
        settings);
    planner.plan(plan);
    return plan;
  }

  MatchKeyBuilder keys_{kDefaultPhoneRegion, {"Crmsync_Key__c"}};
  CrmSnapshot snapshot_;
  std::map<std::string, CrmValues> stored_;
  std::map<std::string, std::string> users_{{"alice@acme.example", "005A"},
                                            {"bob@acme.example", "005B"}};
  int user_lookups_ = 0;
};

TEST_F(PlannerTest, FillEmptyWritesOnlyWhatTheCrmLacks) {
  add_contact("003X", "005A",
              {{"FirstName", "Dana"},
               {"LastName", "Scully"},
               {"Email", "dana@fbi.example"},
               {"Title", "Agent"},
               {"Phone", std::nullopt}});
  const auto result = plan({make_row({.fields = {{"FirstName", "Dana"},
                                                 {"LastName", "Scully"},
                                                 {"Email", "DANA@fbi.example"},
                                                 {"Title", "Special Agent"},
                                                 {"Phone", "+12025550143"}}})});
  ASSERT_EQ(result.decisions.size(), 1u);
  const auto& decision = result.decisions[0];
  EXPECT_EQ(decision.action, RowAction::update);
  EXPECT_EQ(decision.crm_id, "003X");
  EXPECT_EQ(decision.match, "email");
  ASSERT_EQ(result.operations.size(), 1u);
  const auto& op = result.operations[0].op;
  EXPECT_EQ(op.kind, CrmOperation::Kind::update);
  ASSERT_EQ(op.values.size(), 1u) << "only the empty Phone is written";
  EXPECT_EQ(op.values[0].first, "Phone");
  EXPECT_EQ(op.values[0].second, "+12025550143");
}

TEST_F(PlannerTest, ARecordHoldingTheRowsExternalIdIsUpdatedUnderThePolicies) {
  // Made by another system under K-9; a second record has the row's email.
  add_contact("003K", "005A", {{"LastName", "Placeholder"}, {"Crmsync_Key__c", "K-9"}});
  add_contact("003E", "005A", {{"LastName", "Haddad"}, {"Email", "nadia@ext.example"}});
  const auto result = plan({make_row({.fields = {{"FirstName", "Nadia"},
                                                 {"LastName", "Haddad"},
                                                 {"Email", "nadia@ext.example"},
                                                 {"Crmsync_Key__c", "K-9"}},
                                      .external_id_field = "Crmsync_Key__c"}),
                            make_row({.row = 3,
                                      .fields = {{"LastName", "Novak"}, {"Crmsync_Key__c", "K-10"}},
                                      .external_id_field = "Crmsync_Key__c"})});
  const auto& keyed = result.decisions[0];
  EXPECT_EQ(keyed.action, RowAction::update);
  EXPECT_EQ(keyed.crm_id, "003K");
  EXPECT_EQ(keyed.match, "external_id");
  ASSERT_TRUE(keyed.operation);
  const auto& update = result.operations[*keyed.operation].op;
  EXPECT_EQ(update.kind, CrmOperation::Kind::update);
  EXPECT_EQ(value_of(update.values, "FirstName"), "Nadia");
  EXPECT_EQ(value_of(update.values, "Email"), "nadia@ext.example");
  EXPECT_FALSE(value_of(update.values, "LastName")) << "fill_empty keeps the CRM's last name";
  EXPECT_FALSE(value_of(update.values, "Crmsync_Key__c")) << "the same value";

  const auto& fresh = result.decisions[1];
  EXPECT_EQ(fresh.action, RowAction::create);
  ASSERT_TRUE(fresh.operation);
  EXPECT_EQ(result.operations[*fresh.operation].op.kind, CrmOperation::Kind::upsert)
      << "a value no record has is still upserted on";
}

TEST_F(PlannerTest, AnExternalIdValueIsMatchedWhateverItsCase) {
  add_contact("003K", "005A", {{"LastName", "Placeholder"}, {"Crmsync_Key__c", "AB-9"}});
  const auto result =
      plan({make_row({.fields = {{"LastName", "Haddad"}, {"Crmsync_Key__c", "ab-9"}},
                      .external_id_field = "Crmsync_Key__c"})});
  EXPECT_EQ(result.decisions[0].match, "external_id");
  EXPECT_EQ(result.decisions[0].crm_id, "003K");
}

TEST_F(PlannerTest, NewRowsWithOneExternalIdAreOneCreate) {
  const auto result =
      plan({make_row({.fields = {{"LastName", "Novak"},
                                 {"Email", "ana.novak@ext.example"},
                                 {"Crmsync_Key__c", "K-7"}},
                      .external_id_field = "Crmsync_Key__c"}),
            make_row({.rep = "bob@acme.example",
                      .fields = {{"LastName", "Novak-Horvat"}, {"Crmsync_Key__c", "K-7"}},
                      .external_id_field = "Crmsync_Key__c"})});
  ASSERT_EQ(result.operations.size(), 1u) << "one value, one record";
  EXPECT_EQ(result.decisions[0].cluster, result.decisions[1].cluster);
  EXPECT_EQ(result.operations[0].op.kind, CrmOperation::Kind::upsert);
}

TEST_F(PlannerTest, EquivalentValuesAreNoChange) {
  add_contact("003X", "005A",
              {{"FirstName", "Dana"},
               {"LastName", "Scully"},
               {"Email", "dana@fbi.example"},
               {"Phone", "(202) 555-0143"}});
  const auto result = plan({make_row({.fields = {{"FirstName", "Dana"},
                                                 {"LastName", "Scully"},
                                                 {"Email", "dana@fbi.example"},
                                                 {"Phone", "+12025550143"}},
                                      .policy = ConflictPolicy::source_wins})});
  EXPECT_EQ(result.decisions[0].action, RowAction::unchanged);
  EXPECT_TRUE(result.operations.empty());
}

TEST_F(PlannerTest, TheSameNewPersonInTwoRepsFilesIsOneCreateOwnedByTheFirst) {
  auto first = make_row(
      {.rep = "alice@acme.example",
       .fields = {{"FirstName", "Fox"}, {"LastName", "Mulder"}, {"Email", "fox@fbi.example"}}});
  auto second = make_row({.rep = "bob@acme.example",
                          .file = "other.csv",
                          .fields = {{"FirstName", "Fox"},
                                     {"LastName", "Mulder"},
                                     {"Email", "fox@fbi.example"},
                                     {"Title", "Agent"}}},
                         2);
  const auto result = plan({first, second});
  ASSERT_EQ(result.operations.size(), 1u);
  const auto& op = result.operations[0];
  EXPECT_EQ(op.op.kind, CrmOperation::Kind::create);
  EXPECT_EQ(op.rows.size(), 2u);
  EXPECT_EQ(value_of(op.op.values, "OwnerId"), "005A");
  EXPECT_EQ(value_of(op.op.values, "Title"), "Agent")
      << "the second row fills what the first lacks";
  EXPECT_EQ(result.decisions[0].cluster, result.decisions[1].cluster);
  EXPECT_EQ(result.decisions[0].action, RowAction::create);
  EXPECT_EQ(user_lookups_, 1) << "one batched lookup for every rep";
}

TEST_F(PlannerTest, DifferentNewPeopleStayApart) {
  const auto result =
      plan({make_row({.fields = {{"FirstName", "Fox"}, {"LastName", "Mulder"}}}),
            make_row({.row = 3, .fields = {{"FirstName", "Walter"}, {"LastName", "Skinner"}}})});
  EXPECT_EQ(result.operations.size(), 2u);
  EXPECT_NE(result.decisions[0].cluster, result.decisions[1].cluster);
}

TEST_F(PlannerTest, TwoRowsOnOneRecordAreOneUpdate) {
  add_contact("003X", "005A",
              {{"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "dana@fbi.example"}});
  const auto result = plan(
      {make_row(
           {.fields = {{"LastName", "Scully"}, {"Email", "dana@fbi.example"}, {"Title", "Agent"}}}),
       make_row({.row = 3,
                 .fields = {{"LastName", "Scully"},
                            {"Email", "dana@fbi.example"},
                            {"Title", "Doctor"},
                            {"Department", "Pathology"}}})});
  ASSERT_EQ(result.operations.size(), 1u);
  EXPECT_EQ(result.operations[0].rows.size(), 2u);
  EXPECT_EQ(value_of(result.operations[0].op.values, "Title"), "Agent");
  EXPECT_EQ(value_of(result.operations[0].op.values, "Department"), "Pathology");
}

TEST_F(PlannerTest, AnotherRepsRecordIsOnlyFilled) {
  add_contact("003X", "005B",
              {{"FirstName", "Dana"},
               {"LastName", "Scully"},
               {"Email", "dana@fbi.example"},
               {"Title", "Agent"}});
  const auto result = plan({make_row(
      {.fields = {{"LastName", "Scully"}, {"Email", "dana@fbi.example"}, {"Title", "Doctor"}},
       .policy = ConflictPolicy::source_wins})});
  EXPECT_EQ(result.decisions[0].action, RowAction::unchanged);
  EXPECT_NE(result.decisions[0].reason.find("another user"), std::string::npos);
}

TEST_F(PlannerTest, AccountsAreFoundByCompanyKeyOrCreatedOnceFirst) {
  snapshot_.accounts_by_key[keys_.company_key("Acme Corporation")] = "001A";
  const auto result =
      plan({make_row({.fields = {{"LastName", "Mulder"}}, .company = "ACME Corp."}),
            make_row({.row = 3, .fields = {{"LastName", "Skinner"}}, .company = "Initech LLC"}),
            make_row({.row = 4, .fields = {{"LastName", "Doggett"}}, .company = "Initech"})});
  ASSERT_EQ(result.operations.size(), 4u);
  EXPECT_EQ(result.operations[0].op.object, "Account") << "accounts are sent first";
  EXPECT_EQ(value_of(result.operations[0].op.values, "Name"), "Initech LLC");
  for (std::size_t i = 1; i < 4; ++i)
    EXPECT_EQ(result.operations[i].op.object, "Contact");
  const auto& mulder = result.operations[result.decisions[0].operation.value()];
  EXPECT_EQ(value_of(mulder.op.values, "AccountId"), "001A");
  const auto& skinner = result.operations[result.decisions[1].operation.value()];
  const auto& doggett = result.operations[result.decisions[2].operation.value()];
  EXPECT_FALSE(skinner.pending_account_key.empty());
  EXPECT_EQ(skinner.pending_account_key, doggett.pending_account_key);
}

// Planned in row order (an update, a create, a new account with its contact, another update),
// sent accounts first, then creates, then updates, each kind in row order; every row's decision
// still names its own operation.
TEST_F(PlannerTest, OperationsAreSentByKindInRowOrderAndDecisionsFollowThem) {
  add_contact("003X", "005A", {{"LastName", "Scully"}, {"Email", "dana@fbi.example"}});
  add_contact("003Y", "005A", {{"LastName", "Skinner"}, {"Email", "walter@fbi.example"}});
  const auto result = plan({
      make_row(
          {.row = 2,
           .fields = {{"LastName", "Scully"}, {"Email", "dana@fbi.example"}, {"Title", "Agent"}}}),
      make_row({.row = 3, .fields = {{"LastName", "Mulder"}, {"Email", "fox@fbi.example"}}}),
      make_row({.row = 4,
                .fields = {{"LastName", "Doggett"}, {"Email", "john@fbi.example"}},
                .company = "Initech LLC"}),
      make_row({.row = 5,
                .fields = {{"LastName", "Skinner"},
                           {"Email", "walter@fbi.example"},
                           {"Title", "Director"}}}),
  });
  ASSERT_EQ(result.operations.size(), 5u);
  const auto object_and_kind = [&](std::size_t i) {
    return result.operations[i].op.object + "."
           + std::string(to_string(result.operations[i].op.kind));
  };
  EXPECT_EQ(object_and_kind(0), "Account.create");
  EXPECT_EQ(object_and_kind(1), "Contact.create");
  EXPECT_EQ(object_and_kind(2), "Contact.create");
  EXPECT_EQ(object_and_kind(3), "Contact.update");
  EXPECT_EQ(object_and_kind(4), "Contact.update");
  const auto operation_of = [&](std::size_t row) -> const PlannedOperation& {
    return result.operations[result.decisions[row].operation.value()];
  };
  EXPECT_EQ(operation_of(0).op.id, "003X");
  EXPECT_EQ(value_of(operation_of(1).op.values, "LastName"), "Mulder");
  EXPECT_EQ(value_of(operation_of(2).op.values, "LastName"), "Doggett");
  EXPECT_EQ(operation_of(3).op.id, "003Y");
  EXPECT_EQ(result.decisions[1].operation, 1u);
  EXPECT_EQ(result.decisions[2].operation, 2u);
  for (std::size_t row = 0; row < result.decisions.size(); ++row)
    EXPECT_EQ(operation_of(row).rows.front(), row);
}

TEST_F(PlannerTest, TwoEquallyGoodCandidatesGoToReview) {
  add_contact("003X", "005A",
              {{"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "shared@fbi.example"}});
  add_contact("003Y", "005A",
              {{"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "shared@fbi.example"}});
  const auto result = plan({make_row(
      {.fields = {
           {"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "shared@fbi.example"}}})});
  EXPECT_EQ(result.decisions[0].action, RowAction::review);
  EXPECT_EQ(result.decisions[0].candidates.size(), 2u);
  EXPECT_TRUE(result.operations.empty());
}

TEST_F(PlannerTest, RejectedRowsSayWhereAndWhy) {
  SourceRow row;
  row.mapped.outcome = mappings::MappedRow::Outcome::rejected;
  row.mapped.from = {"reps", "alice@acme.example", "contacts.csv", "", 7, {}};
  row.mapped.rejection = mappings::Rejection{3, "E-mail", "bob@", "Email", "invalid email address"};
  const auto result = plan({row});
  EXPECT_EQ(result.decisions[0].action, RowAction::reject);
  EXPECT_EQ(result.decisions[0].reason, "invalid email address (column 3 'E-mail', value 'bob@')");
  EXPECT_EQ(user_lookups_, 0) << "nothing to write, nobody to look up";
}

TEST_F(PlannerTest, AReviewersRejectionMakesANewRecord) {
  add_contact("003X", "005A",
              {{"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "shared@fbi.example"}});
  add_contact("003Y", "005A",
              {{"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "shared@fbi.example"}});
  auto row = make_row(
      {.fields = {{"FirstName", "Dana"}, {"LastName", "Scully"}, {"Email", "shared@fbi.example"}}});
  row.review_rejected = true;
  const auto result = plan({row});
  EXPECT_EQ(result.decisions[0].action, RowAction::create);
}

}  // namespace
}  // namespace crmsync::reconcile

namespace crmsync::reconcile {
namespace {

// Enough rows that matching and clustering run in two halves on two threads: the same person in
// the first and the second half is still one create, and CRM matches keep their records.
TEST_F(PlannerTest, ALargePlanMatchesAndClustersAcrossItsHalvesAsOne) {
  constexpr int kCrm = 100, kPeople = 3000;
  for (int k = 0; k < kCrm; ++k)
    add_contact(fmt::format("003C{:05}", k), "005A",
                {{"FirstName", "Known"},
                 {"LastName", fmt::format("Person{}", k)},
                 {"Email", fmt::format("c{}@crm.example", k)}});
  const auto person = [&](int k, const std::string& rep, std::uint32_t at) {
    const auto email =
        k < kCrm ? fmt::format("c{}@crm.example", k) : fmt::format("p{}@new.example", k);
    return make_row({.rep = rep,
                     .file = rep + ".csv",
                     .row = at,
                     .fields = {{"FirstName", k < kCrm ? "Known" : "New"},
                                {"LastName", fmt::format("Person{}", k)},
                                {"Email", email}}});
  };
  std::vector<SourceRow> rows;
  for (int k = 0; k < kPeople; ++k)
    rows.push_back(person(k, "alice@acme.example", static_cast<std::uint32_t>(k + 2)));
  for (int k = 0; k < kPeople; ++k)
    rows.push_back(person(k, "bob@acme.example", static_cast<std::uint32_t>(k + 2)));
  const auto result = plan(std::move(rows));
  std::set<std::string> clusters;
  std::size_t creates = 0;
  for (const auto& op : result.operations)
    creates += op.op.kind == CrmOperation::Kind::create;
  EXPECT_EQ(creates, static_cast<std::size_t>(kPeople - kCrm));
  for (int k = 0; k < kPeople; ++k) {
    const auto& alice = result.decisions[k];
    const auto& bob = result.decisions[kPeople + k];
    if (k < kCrm) {
      EXPECT_EQ(alice.crm_id, fmt::format("003C{:05}", k)) << k;
      EXPECT_EQ(bob.crm_id, alice.crm_id) << k;
      continue;
    }
    ASSERT_EQ(alice.action, RowAction::create) << k;
    EXPECT_EQ(bob.cluster, alice.cluster) << k;
    EXPECT_EQ(bob.operation, alice.operation) << k;
    clusters.insert(alice.cluster);
  }
  EXPECT_EQ(clusters.size(), static_cast<std::size_t>(kPeople - kCrm));
}

// Enough creates that their fields are filled in two halves: a person in alice's file early and
// in bob's file late is still one create with alice's values first and bob's filling the gaps,
// new companies are created once and ahead of the contacts, and every create has its own key.
TEST_F(PlannerTest, ALargePlanFillsEachCreateInRowOrderWhicheverHalfItsRowsAreIn) {
  constexpr int kPeople = 6000;
  // Names nothing alike, so that only the same person clusters.
  const auto name = [](int k, std::uint64_t salt) {
    std::uint64_t bits = (static_cast<std::uint64_t>(k) + 1) * 0x9e3779b97f4a7c15ULL ^ salt;
    std::string text(1, static_cast<char>('A' + bits % 26));
    for (int n = 0; n < 8; ++n)
      text += static_cast<char>('a' + (bits >>= 5) % 26);
    return text;
  };
  std::vector<SourceRow> rows;
  for (int k = 0; k < kPeople; ++k)
    rows.push_back(make_row({.file = "alice.csv",
                             .row = static_cast<std::uint32_t>(k + 2),
                             .fields = {{"FirstName", name(k, 1)},
                                        {"LastName", name(k, 2)},
                                        {"Email", fmt::format("p{}@new.example", k)}},
                             .company = fmt::format("Company {}", k % 10)}));
  for (int k = 0; k < kPeople; k += 7)
    rows.push_back(make_row({.rep = "bob@acme.example",
                             .file = "bob.csv",
                             .row = static_cast<std::uint32_t>(k + 2),
                             .fields = {{"FirstName", name(k, 1) + "x"},
                                        {"LastName", name(k, 2)},
                                        {"Email", fmt::format("p{}@new.example", k)},
                                        {"Title", fmt::format("Buyer {}", k)}}},
                            2));
  const auto result = plan(std::move(rows));
  std::size_t accounts = 0, contacts = 0;
  std::set<std::string> keys;
  for (const auto& op : result.operations) {
    if (op.op.object == "Account") {
      EXPECT_EQ(contacts, 0U) << "an Account create after a Contact create";
      ++accounts;
      continue;
    }
    ++contacts;
    EXPECT_TRUE(keys.insert(op.idempotency_key).second) << op.idempotency_key;
    EXPECT_FALSE(op.pending_account_key.empty());
  }
  EXPECT_EQ(accounts, 10U);
  EXPECT_EQ(contacts, static_cast<std::size_t>(kPeople));
  for (int k = 0, bob = kPeople; k < kPeople; k += 7, ++bob) {
    const auto& alice_row = result.decisions[k];
    const auto& bob_row = result.decisions[bob];
    ASSERT_EQ(bob_row.operation, alice_row.operation) << k;
    const auto& op = result.operations[*alice_row.operation];
    EXPECT_EQ(op.rows, (std::vector<std::size_t>{static_cast<std::size_t>(k),
                                                 static_cast<std::size_t>(bob)}));
    EXPECT_EQ(value_of(op.op.values, "OwnerId").value_or(""), "005A") << k;
    EXPECT_EQ(value_of(op.op.values, "FirstName").value_or(""), name(k, 1)) << k;
    EXPECT_EQ(value_of(op.op.values, "Title").value_or(""), fmt::format("Buyer {}", k)) << k;
    EXPECT_EQ(op.op.values.front().first, "OwnerId");
    ASSERT_EQ(bob_row.fields.size(), 4U);
    EXPECT_EQ(bob_row.fields[0].decision, FieldAction::keep);
    EXPECT_EQ(bob_row.fields[3].decision, FieldAction::write);
  }
}

}  // namespace
}  // namespace crmsync::reconcile
