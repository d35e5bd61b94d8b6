// SalesforceCrm against the sandbox seeded with the demo org (config/demo/crm, a copy of
// shared/data/world-small/crm): real HTTP, real OAuth, real paging and collections.
#include "connectors/salesforce/salesforce_crm.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "tests/integration/sandbox/sandbox_fixture.hpp"

namespace crmsync::salesforce {
namespace {

const std::string kDemoOrg = std::string(CRMSYNC_SOURCE_DIR) + "/config/demo/crm";

// `count` Contact creates with only a last name: `prefix` and a number.
std::vector<CrmOperation> contact_creates(int count, const std::string& prefix) {
  std::vector<CrmOperation> creates;
  for (int i = 0; i < count; ++i)
    creates.push_back({CrmOperation::Kind::create,
                       "Contact",
                       "",
                       "",
                       {{"LastName", prefix + std::to_string(i)}},
                       false});
  return creates;
}

class SalesforceCrmTest : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }
  void TearDown() override {
    sandbox_.reset();
    sandbox_test::remove_temp_dir(dir_);
  }

  void start(std::vector<std::string> extra) {
    dir_ = sandbox_test::make_temp_dir();
    extra.insert(extra.begin(), {"--seed", kDemoOrg});
    sandbox_ = std::make_unique<sandbox_test::SandboxProcess>(dir_ / "state", extra);
    ASSERT_TRUE(sandbox_->started()) << sandbox_->startup_output();
    std::ofstream(dir_ / "secret") << "sandbox-secret\n";
  }

  SalesforceSettings settings(const std::string& secret_file = "secret") {
    SalesforceSettings s;
    s.type = "salesforce";
    s.instance_url = sandbox_->url();
    s.api_version = "66.0";
    s.auth.flow = AuthFlow::client_credentials;
    s.auth.client_id = "crmsync-sandbox";
    s.auth.client_secret = {SecretRef::Kind::file, (dir_ / secret_file).string(), {}};
    s.connect_timeout = std::chrono::seconds(5);
    s.request_timeout = std::chrono::seconds(30);
    s.daily_budget_percent = 100;
    s.bulk_threshold = 2000;
    return s;
  }

  std::filesystem::path dir_;
  std::unique_ptr<sandbox_test::SandboxProcess> sandbox_;
};

TEST_F(SalesforceCrmTest, DescribeIsReadOnceAndKnowsRequiredFields) {
  SalesforceCrm crm(settings());
  const auto schema = crm.describe("Contact");
  EXPECT_EQ(schema.key_prefix, "003");
  ASSERT_NE(schema.field("LastName"), nullptr);
  EXPECT_TRUE(schema.field("LastName")->required_on_create());
  EXPECT_FALSE(schema.field("FirstName")->required_on_create());
  EXPECT_EQ(schema.field("Email")->type, "email");
  crm.describe("Contact");
  EXPECT_EQ(crm.usage().calls.at("describe"), 1);
  EXPECT_EQ(crm.usage().calls.at("token"), 1);
}

TEST_F(SalesforceCrmTest, QueryFlattensParentsAndFollowsPages) {
  SalesforceCrm crm(settings());
  std::vector<CrmValues> rows;
  const auto count =
      crm.query({"Contact", {"Id", "LastName", "Email", "Account.Name"}, {}, false, {}, {}},
                [&](const CrmValues& values) { rows.push_back(values); });
  EXPECT_EQ(count, 200u);
  ASSERT_EQ(rows.size(), 200u);
  std::size_t with_account = 0;
  for (const auto& row : rows) {
    ASSERT_TRUE(value_of(row, "Id"));
    EXPECT_EQ(value_of(row, "Id")->size(), 18u);
    if (value_of(row, "Account.Name")) ++with_account;
  }
  EXPECT_GT(with_account, 100u);
}

TEST_F(SalesforceCrmTest, QueryByEmailListIsChunkedAndExact) {
  SalesforceCrm crm(settings());
  std::vector<std::string> emails;
  crm.query({"Contact", {"Email"}, {}, false, {}, {}}, [&](const CrmValues& values) {
    if (auto email = value_of(values, "Email")) emails.emplace_back(*email);
  });
  ASSERT_GT(emails.size(), 100u);
  std::vector<std::string> wanted(emails.begin(), emails.begin() + 100);
  wanted.push_back("nobody@nowhere.example");
  std::set<std::string> found;
  crm.query({"Contact", {"Id", "Email"}, {}, false, "Email", wanted},
            [&](const CrmValues& values) { found.emplace(*value_of(values, "Email")); });
  EXPECT_EQ(found.size(), 100u);
  EXPECT_EQ(found.count("nobody@nowhere.example"), 0u);
}

TEST_F(SalesforceCrmTest, CreatesInCollectionsOf200WithPerRecordResults) {
  SalesforceCrm crm(settings());
  std::vector<CrmOperation> operations;
  for (int i = 0; i < 250; ++i) {
    CrmOperation op;
    op.kind = CrmOperation::Kind::create;
    op.object = "Contact";
    op.values = {{"LastName", "Batch" + std::to_string(i)},
                 {"Email", "batch" + std::to_string(i) + "@new.example"}};
    if (i == 7) op.values = {{"FirstName", "NoLastName"}};
    operations.push_back(op);
  }
  const auto results = crm.apply(operations);
  ASSERT_EQ(results.size(), 250u);
  EXPECT_EQ(crm.usage().calls.at("collections"), 2);
  EXPECT_FALSE(results[7].success);
  EXPECT_EQ(results[7].code, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(results[7].category, ErrorCategory::input);
  EXPECT_NE(results[7].message.find("LastName"), std::string::npos);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i == 7) continue;
    EXPECT_TRUE(results[i].success) << i << " " << results[i].message;
    EXPECT_TRUE(results[i].created);
    ids.insert(results[i].id);
  }
  EXPECT_EQ(ids.size(), 249u);
  std::size_t total = 0;
  crm.query({"Contact", {"Id"}, {}, false, {}, {}}, [&](const CrmValues&) { ++total; });
  EXPECT_EQ(total, 449u);
}

// Above bulk_threshold, one Bulk API 2.0 job carries the whole run: a handful of calls, results
// matched back to each record although the result CSVs come in any order.
TEST_F(SalesforceCrmTest, LongRunsGoThroughOneBulkJobWithPerRecordResults) {
  auto s = settings();
  s.bulk_threshold = 200;
  SalesforceCrm crm(s);
  std::vector<CrmOperation> creates;
  for (int i = 0; i < 450; ++i) {
    CrmOperation op;
    op.kind = CrmOperation::Kind::create;
    op.object = "Contact";
    op.values = {{"LastName", "Bulk, \"" + std::to_string(i) + "\""},
                 {"Email", "bulk" + std::to_string(i) + "@new.example"},
                 {"Description", "line one\nline two"}};
    if (i == 11) op.values = {{"FirstName", "NoLastName"}};
    creates.push_back(op);
  }
  const auto results = crm.apply(creates);
  ASSERT_EQ(results.size(), 450u);
  EXPECT_EQ(crm.usage().calls.count("collections"), 0u);
  EXPECT_LE(crm.usage().calls.at("bulk"), 12) << "create, upload, complete, polls, results";
  EXPECT_FALSE(results[11].success);
  EXPECT_EQ(results[11].code, "REQUIRED_FIELD_MISSING") << results[11].message;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i == 11) continue;
    ASSERT_TRUE(results[i].success) << i << " " << results[i].message;
    EXPECT_TRUE(results[i].created);
    ids.insert(results[i].id);
  }
  EXPECT_EQ(ids.size(), 449u);
  // Each id is the record made from its own row.
  std::map<std::string, std::string> email_of;
  crm.query({"Contact", {"Id", "Email", "LastName"}, {}, false, {}, {}},
            [&](const CrmValues& values) {
              email_of[std::string(*value_of(values, "Id"))] =
                  std::string(value_of(values, "Email").value_or(""));
            });
  EXPECT_EQ(email_of.size(), 649u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].success) {
      EXPECT_EQ(email_of[results[i].id], "bulk" + std::to_string(i) + "@new.example");
    }
  }

  std::vector<CrmOperation> updates;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i].success)
      updates.push_back({CrmOperation::Kind::update,
                         "Contact",
                         results[i].id,
                         "",
                         {{"Title", "Bulk " + std::to_string(i)}, {"Description", std::nullopt}},
                         false});
  const auto updated = crm.apply(updates);
  ASSERT_EQ(updated.size(), updates.size());
  for (const auto& r : updated)
    EXPECT_TRUE(r.success) << r.message;
  std::string title, description = "unset";
  crm.query({"Contact", {"Id", "Title", "Description"}, {}, false, "Id", {results[0].id}},
            [&](const CrmValues& values) {
              title = std::string(value_of(values, "Title").value_or(""));
              description = std::string(value_of(values, "Description").value_or(""));
            });
  EXPECT_EQ(title, "Bulk 0");
  EXPECT_EQ(description, "") << "#N/A clears a field";
}

// apply_gated's gate runs once, after the job is created and filled (calls that change nothing)
// and before UploadComplete starts it; for Collections, before the first write. A gate that
// throws leaves the CRM as it was: the caller could not record the send, so nothing is sent.
TEST_F(SalesforceCrmTest, TheGateRunsOnceBeforeTheFirstWriteAndAThrowWritesNothing) {
  auto s = settings();
  s.bulk_threshold = 200;
  const auto contacts = [&] {
    SalesforceCrm reader(settings());
    std::size_t total = 0;
    reader.query({"Contact", {"Id"}, {}, false, {}, {}}, [&](const CrmValues&) { ++total; });
    return total;
  };
  const auto at_first = contacts();
  const auto creates = contact_creates(450, "Gated");
  for (const std::size_t count : {std::size_t{450}, std::size_t{50}}) {
    SalesforceCrm crm(s);
    const auto before = contacts();
    const std::span<const CrmOperation> some(creates.data(), count);
    EXPECT_THROW(crm.apply_gated(some, [] { throw Error(ErrorCategory::permanent, "no disk"); }),
                 Error)
        << count;
    EXPECT_EQ(contacts(), before) << count << " operations: written although the gate threw";
    int gated = 0;
    std::map<std::string, int> calls_at_gate;
    const auto results = crm.apply_gated(some, [&] {
      ++gated;
      calls_at_gate = crm.usage().calls;
    });
    EXPECT_EQ(gated, 1) << count;
    EXPECT_EQ(results.size(), count);
    if (count == 450) {
      // The refused try created and filled a job, and so did this one before its gate.
      EXPECT_EQ(calls_at_gate["bulk"], 4) << "create and upload, twice";
    } else {
      EXPECT_EQ(calls_at_gate["collections"], 0);
    }
  }
  EXPECT_EQ(contacts(), at_first + 500);
}

// A read larger than bulk_query_threshold runs as one Bulk query job: the same records, the same
// flattened parent fields, a handful of calls instead of a page per 2000.
TEST_F(SalesforceCrmTest, LargeReadsRunAsOneBulkQueryJob) {
  auto s = settings();
  s.bulk_query_threshold = 100;
  SalesforceCrm crm(s);
  std::vector<CrmValues> rows;
  const auto count =
      crm.query({"Contact", {"Id", "LastName", "Email", "Account.Name"}, {}, false, {}, {}},
                [&](const CrmValues& values) { rows.push_back(values); });
  EXPECT_EQ(count, 200u);
  ASSERT_EQ(rows.size(), 200u);
  EXPECT_EQ(crm.usage().calls.at("query"), 1) << "the first page, which told the size";
  EXPECT_GE(crm.usage().calls.at("bulk"), 3);
  std::size_t with_account = 0;
  for (const auto& row : rows) {
    EXPECT_EQ(value_of(row, "Id").value_or("").size(), 18u);
    if (value_of(row, "Account.Name")) ++with_account;
  }
  EXPECT_GT(with_account, 100u);
}

TEST_F(SalesforceCrmTest, UpdatesByIdAndReportsBadIds) {
  SalesforceCrm crm(settings());
  std::string id;
  crm.query({"Contact", {"Id"}, {}, false, {}, {}}, [&](const CrmValues& values) {
    if (id.empty()) id = std::string(*value_of(values, "Id"));
  });
  CrmOperation update{CrmOperation::Kind::update,  "Contact", id, "",
                      {{"Title", "Chief Tester"}}, false};
  CrmOperation bad{CrmOperation::Kind::update, "Contact", "003000000000000AAA", "",
                   {{"Title", "x"}},           false};
  const std::vector<CrmOperation> operations{update, bad};
  const auto results = crm.apply(operations);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].success) << results[0].message;
  EXPECT_FALSE(results[1].success);
  std::string title;
  crm.query({"Contact", {"Id", "Title"}, {}, false, "Id", {id}}, [&](const CrmValues& values) {
    title = std::string(value_of(values, "Title").value_or(""));
  });
  EXPECT_EQ(title, "Chief Tester");
}

TEST_F(SalesforceCrmTest, QueryFollowsNextRecordsUrlAcrossPages) {
  SalesforceCrm crm(settings());
  const auto operations = contact_creates(2000, "Paged");
  crm.apply(operations);
  std::set<std::string> ids;
  const auto count =
      crm.query({"Contact", {"Id"}, {}, false, {}, {}},
                [&](const CrmValues& values) { ids.emplace(*value_of(values, "Id")); });
  EXPECT_EQ(count, 2200u);
  EXPECT_EQ(ids.size(), 2200u) << "a page was repeated or skipped";
  EXPECT_EQ(crm.usage().calls.at("query"), 2);
}

class ShortLivedTokens : public SalesforceCrmTest {
 protected:
  void SetUp() override { start({"--token-ttl", "1"}); }
};

TEST_F(ShortLivedTokens, ExpiredSessionIsRenewedOnceAndTheCallReplayed) {
  SalesforceCrm crm(settings());
  crm.describe("Contact");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  // Keep working until the sandbox has expired the first token and the client renewed it.
  while (crm.usage().calls.at("token") < 2 && std::chrono::steady_clock::now() < deadline) {
    std::size_t count = crm.query({"User", {"Id"}, {}, false, {}, {}}, [](const CrmValues&) {});
    ASSERT_GT(count, 0u);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(crm.usage().calls.at("token"), 2);
}

TEST_F(SalesforceCrmTest, WrongSecretIsAnAuthErrorNotARetryStorm) {
  std::ofstream(dir_ / "wrong") << "not-the-secret\n";
  SalesforceCrm crm(settings("wrong"));
  try {
    crm.describe("Contact");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::auth);
    EXPECT_EQ(std::string(e.what()).find("not-the-secret"), std::string::npos);
  }
}

TEST_F(SalesforceCrmTest, UnknownObjectIsAConfigError) {
  SalesforceCrm crm(settings());
  try {
    crm.describe("Contcat");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::config) << e.what();
  }
}

}  // namespace
}  // namespace crmsync::salesforce
