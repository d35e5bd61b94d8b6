// What every Crm must do, whatever the CRM behind it (STYLE.md rule 7): one parameterized suite,
// run here against the Salesforce connector on crmsync-sandbox and, unchanged, against each
// connector that joins it (a Dynamics connector adds one line to INSTANTIATE below). The engine
// relies on exactly these behaviours: describe, paged and incremental query, batched apply with one
// result per operation in order and a gate before its first write, error categories, usage
// counted by kind.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "connectors/crm.hpp"
#include "connectors/salesforce/salesforce_crm.hpp"
#include "tests/integration/sandbox/sandbox_fixture.hpp"

namespace crmsync {
namespace {

const std::string kDemoOrg = std::string(CRMSYNC_SOURCE_DIR) + "/config/demo/crm";

// A CRM under test: how to start its emulator and build its connector. Names are the engine's
// neutral vocabulary (Contact, LastName, Email); a connector translates them.
struct CrmUnderTest {
  std::string name;
  std::function<std::unique_ptr<Crm>(const std::string& url, const std::filesystem::path& dir)>
      make;
};

std::unique_ptr<Crm> make_salesforce(const std::string& url, const std::filesystem::path& dir) {
  std::ofstream(dir / "secret") << "sandbox-secret\n";
  salesforce::SalesforceSettings s;
  s.type = "salesforce";
  s.instance_url = url;
  s.api_version = "66.0";
  s.auth.flow = salesforce::AuthFlow::client_credentials;
  s.auth.client_id = "crmsync-sandbox";
  s.auth.client_secret = {SecretRef::Kind::file, (dir / "secret").string(), {}};
  s.connect_timeout = std::chrono::seconds(5);
  s.request_timeout = std::chrono::seconds(30);
  s.daily_budget_percent = 100;
  s.bulk_threshold = 2000;
  return std::make_unique<salesforce::SalesforceCrm>(s);
}

class CrmConformance : public ::testing::TestWithParam<CrmUnderTest> {
 protected:
  void SetUp() override {
    dir_ = sandbox_test::make_temp_dir();
    sandbox_ = std::make_unique<sandbox_test::SandboxProcess>(
        dir_ / "state", std::vector<std::string>{"--seed", kDemoOrg});
    ASSERT_TRUE(sandbox_->started()) << sandbox_->startup_output();
    crm_ = GetParam().make(sandbox_->url(), dir_);
  }
  void TearDown() override {
    crm_.reset();
    sandbox_.reset();
    sandbox_test::remove_temp_dir(dir_);
  }
  std::size_t count(const CrmQuery& query) {
    return crm_->query(query, [](const CrmValues&) {});
  }
  static CrmOperation create(std::string last, std::string email) {
    CrmOperation op;
    op.object = "Contact";
    op.values = {{"LastName", std::move(last)}, {"Email", std::move(email)}};
    return op;
  }

  std::filesystem::path dir_;
  std::unique_ptr<sandbox_test::SandboxProcess> sandbox_;
  std::unique_ptr<Crm> crm_;
};

TEST_P(CrmConformance, DescribesTheFieldsTheEngineWrites) {
  const auto schema = crm_->describe("Contact");
  for (const char* name :
       {"FirstName", "LastName", "Email", "Phone", "MobilePhone", "Title", "AccountId", "OwnerId"})
    EXPECT_NE(schema.field(name), nullptr) << name;
  EXPECT_TRUE(schema.field("LastName")->required_on_create());
  EXPECT_THROW(crm_->describe("NoSuchObject"), Error);
}

TEST_P(CrmConformance, QueryStreamsEveryRecordAndOnlyChangesSinceAWatermark) {
  std::string newest;
  std::map<std::string, std::size_t> per_stamp;
  std::size_t all = crm_->query(
      {"Contact", {"Id", "SystemModstamp"}, {}, false, {}, {}}, [&](const CrmValues& values) {
        const std::string stamp(value_of(values, "SystemModstamp").value_or(""));
        ++per_stamp[stamp];
        if (stamp > newest) newest = stamp;
      });
  EXPECT_EQ(all, 200u);
  const std::vector<CrmOperation> ops{create("Conformance", "conformance@new.example")};
  ASSERT_TRUE(crm_->apply(ops).at(0).success);
  CrmQuery since{"Contact", {"Id", "LastName"}, newest, true, {}, {}};
  std::vector<std::string> changed;
  crm_->query(since, [&](const CrmValues& values) {
    changed.emplace_back(value_of(values, "LastName").value_or(""));
  });
  // The watermark is inclusive: records stamped in the same instant as the newest come again.
  EXPECT_LE(changed.size(), per_stamp[newest] + 1) << "only changes since the watermark";
  EXPECT_NE(std::find(changed.begin(), changed.end(), "Conformance"), changed.end());
}

TEST_P(CrmConformance, QueryByValueListFindsExactlyThose) {
  std::vector<std::string> emails;
  crm_->query({"Contact", {"Email"}, {}, false, {}, {}}, [&](const CrmValues& values) {
    if (emails.size() < 120) emails.emplace_back(value_of(values, "Email").value_or(""));
  });
  emails.erase(std::remove(emails.begin(), emails.end(), ""), emails.end());
  emails.push_back("nobody@nowhere.example");
  EXPECT_EQ(count({"Contact", {"Id"}, {}, false, "Email", emails}), emails.size() - 1);
}

// Several reads at once answer exactly what each would alone, pages followed, in no more calls;
// a read the CRM refuses fails the whole with its reason.
TEST_P(CrmConformance, QueriesTogetherAnswerAsAloneInNoMoreCalls) {
  std::vector<CrmOperation> ops;
  for (int i = 0; i < 2100; ++i)
    ops.push_back(create("Paged" + std::to_string(i), "p" + std::to_string(i) + "@new.example"));
  for (const auto& result : crm_->apply(ops))
    ASSERT_TRUE(result.success) << result.message;
  std::vector<std::string> emails = {"p7@new.example", "p2099@new.example"};
  for (int i = 0; i < 600; ++i)
    emails.push_back("nobody" + std::to_string(i) + "@nowhere.example");
  const std::vector<CrmQuery> queries = {{"Contact", {"Id", "LastName"}, {}, false, {}, {}},
                                         {"Account", {"Id", "Name"}, {}, false, {}, {}},
                                         {"Contact", {"Id"}, {}, false, "Email", emails}};
  std::vector<std::multiset<std::string>> alone(queries.size()), together(queries.size());
  const auto calls_before = crm_->usage().total();
  for (std::size_t q = 0; q < queries.size(); ++q)
    crm_->query(queries[q], [&](const CrmValues& values) {
      alone[q].insert(std::string(value_of(values, "Id").value_or("")));
    });
  const auto calls_alone = crm_->usage().total() - calls_before;
  crm_->query_together(queries, [&](std::size_t q, const CrmValues& values) {
    together[q].insert(std::string(value_of(values, "Id").value_or("")));
  });
  const auto calls_together = crm_->usage().total() - calls_before - calls_alone;
  EXPECT_EQ(alone[0].size(), 2300u) << "more than one page";
  EXPECT_EQ(alone[2].size(), 2u);
  EXPECT_EQ(together, alone);
  EXPECT_LE(calls_together, calls_alone);
  std::cout << GetParam().name << ": " << calls_alone << " calls alone, " << calls_together
            << " together\n";

  const std::vector<CrmQuery> refused = {queries[1], {"NoSuchObject", {"Id"}, {}, false, {}, {}}};
  try {
    crm_->query_together(refused, [](std::size_t, const CrmValues&) {});
    FAIL() << "a refused read went unnoticed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("NoSuchObject"), std::string::npos) << e.what();
  }
}

TEST_P(CrmConformance, ApplyAnswersEachOperationInOrderWithItsCategory) {
  std::vector<CrmOperation> ops;
  for (int i = 0; i < 230; ++i)
    ops.push_back(create("Batch" + std::to_string(i), "b" + std::to_string(i) + "@new.example"));
  ops[3].values = {{"FirstName", "NoLastName"}};
  CrmOperation bad_update;
  bad_update.kind = CrmOperation::Kind::update;
  bad_update.object = "Contact";
  bad_update.id = "003000000000000AAA";
  bad_update.values = {{"Title", "x"}};
  ops.push_back(bad_update);
  const auto results = crm_->apply(ops);
  ASSERT_EQ(results.size(), ops.size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < 230; ++i) {
    if (i == 3) continue;
    ASSERT_TRUE(results[i].success) << i << ": " << results[i].message;
    EXPECT_TRUE(results[i].created);
    ids.insert(results[i].id);
  }
  EXPECT_EQ(ids.size(), 229u) << "one record per create";
  EXPECT_FALSE(results[3].success);
  EXPECT_EQ(results[3].category, ErrorCategory::input) << "a rep can fix this row";
  EXPECT_FALSE(results[3].message.empty());
  EXPECT_FALSE(results.back().success);
  EXPECT_NE(results.back().category, ErrorCategory::transient) << "a bad id is not retried";
}

// The outbox records a send durably in apply_gated's gate: the gate runs once, before anything
// is written, on the batched path and on the bulk one, and a gate that throws (the record could
// not be made) leaves the CRM as it was.
TEST_P(CrmConformance, ApplyGatedRunsItsGateOnceBeforeAnyWrite) {
  const std::size_t bulk = crm_->bulk_threshold() > 0 ? crm_->bulk_threshold() : 300;
  for (const std::size_t size : {std::size_t{50}, bulk}) {
    std::vector<CrmOperation> ops;
    for (std::size_t i = 0; i < size; ++i)
      ops.push_back(create("Gated" + std::to_string(i),
                           "g" + std::to_string(size) + "-" + std::to_string(i) + "@new.example"));
    const CrmQuery contacts{"Contact", {"Id"}, {}, false, {}, {}};
    const auto before = count(contacts);
    EXPECT_THROW(
        crm_->apply_gated(
            ops, [] { throw Error(ErrorCategory::permanent, "the send is not recorded"); }),
        Error)
        << size;
    EXPECT_EQ(count(contacts), before) << size << " operations: written although the gate threw";
    int gated = 0;
    const auto results = crm_->apply_gated(ops, [&] { ++gated; });
    EXPECT_EQ(gated, 1) << size;
    ASSERT_EQ(results.size(), size);
    for (const auto& result : results)
      EXPECT_TRUE(result.success) << result.message;
    EXPECT_EQ(count(contacts), before + size);
  }
}

TEST_P(CrmConformance, UsageCountsCallsByKind) {
  count({"Contact", {"Id"}, {}, false, {}, {}});
  crm_->describe("Contact");
  const auto usage = crm_->usage();
  EXPECT_GE(usage.total(), 2);
  EXPECT_EQ(usage.calls.at("describe"), 1);
  EXPECT_GE(usage.calls.at("query"), 1);
  ASSERT_TRUE(usage.limit.has_value()) << "the CRM's own allowance is read from its answers";
  EXPECT_GT(*usage.limit, 0);
}

INSTANTIATE_TEST_SUITE_P(Connectors, CrmConformance,
                         ::testing::Values(CrmUnderTest{"Salesforce", make_salesforce}),
                         [](const auto& crm) { return crm.param.name; });

}  // namespace
}  // namespace crmsync
