// Bulk API 2.0 ingest and query jobs (reference §6).
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class BulkTest : public SandboxTest {
 protected:
  std::string ingest() const { return std::string(kData) + "/jobs/ingest"; }

  std::string create_ingest(const std::string& job_json) {
    const Reply reply = client_->api("POST", ingest(), job_json);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.json("/id");
  }
  Reply upload(const std::string& id, const std::string& csv) {
    return client_->api_body("PUT", ingest() + "/" + id + "/batches", csv,
                             {"Content-Type: text/csv"});
  }
  // Polls until the job is terminal; returns the states seen.
  std::vector<std::string> poll(const std::string& path) {
    std::vector<std::string> states;
    for (int i = 0; i < 10; ++i) {
      const Reply info = client_->api("GET", path);
      states.push_back(info.json("/state"));
      if (states.back() == "JobComplete" || states.back() == "Failed" || states.back() == "Aborted")
        break;
    }
    return states;
  }
  std::string run_ingest(const std::string& job_json, const std::string& csv) {
    const std::string id = create_ingest(job_json);
    EXPECT_EQ(upload(id, csv).status, 201);
    EXPECT_EQ(client_->api("PATCH", ingest() + "/" + id, R"({"state":"UploadComplete"})").status,
              200);
    poll(ingest() + "/" + id);
    return id;
  }
};

TEST_F(BulkTest, InsertJobWalksTheStatesAndReportsResults) {
  const Reply created = client_->api(
      "POST", ingest(), R"({"object":"Contact","operation":"insert","lineEnding":"LF"})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.json("/id");
  EXPECT_EQ(id.substr(0, 3), "750");
  EXPECT_EQ(id.size(), 18U);
  EXPECT_EQ(created.json("/state"), "Open");
  EXPECT_EQ(created.json("/apiVersion"), "66.0");
  EXPECT_EQ(created.json("/contentUrl"), "services/data/v66.0/jobs/ingest/" + id + "/batches");
  EXPECT_EQ(created.json("/concurrencyMode"), "Parallel");
  const Reply put = upload(id,
                           "FirstName,LastName,Email\n"
                           "Ada,Lovelace,ada@bulk.example\n"
                           "\"Grace, R.\",Hopper,grace@bulk.example\n"
                           "Nobody,,nobody@bulk.example\n");
  EXPECT_EQ(put.status, 201);
  EXPECT_EQ(put.body, "");
  const Reply closed = client_->api("PATCH", ingest() + "/" + id, R"({"state":"UploadComplete"})");
  EXPECT_EQ(closed.status, 200);
  EXPECT_EQ(closed.json("/state"), "UploadComplete");
  EXPECT_EQ(closed.json("/contentUrl"), "<missing>");
  const auto states = poll(ingest() + "/" + id);
  ASSERT_EQ(states, (std::vector<std::string>{"InProgress", "JobComplete"}));
  const Reply info = client_->api("GET", ingest() + "/" + id);
  EXPECT_EQ(info.json("/jobType"), "V2Ingest");
  EXPECT_EQ(info.json("/numberRecordsProcessed"), "3");
  EXPECT_EQ(info.json("/numberRecordsFailed"), "1");

  const Reply ok = client_->api("GET", ingest() + "/" + id + "/successfulResults/");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.header("content-type").rfind("text/csv", 0), 0U);
  ASSERT_EQ(ok.body.rfind("\"sf__Id\",\"sf__Created\",FirstName,LastName,Email\n\"003", 0), 0U)
      << ok.body;
  EXPECT_NE(ok.body.find(R"(","true","Grace, R.","Hopper","grace@bulk.example")"),
            std::string::npos);
  const Reply failed = client_->api("GET", ingest() + "/" + id + "/failedResults/");
  EXPECT_EQ(failed.body,
            "\"sf__Id\",\"sf__Error\",FirstName,LastName,Email\n"
            "\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --\","
            "\"Nobody\",\"\",\"nobody@bulk.example\"\n");
  EXPECT_EQ(client_->api("GET", ingest() + "/" + id + "/unprocessedrecords/").body, "");
  EXPECT_EQ(
      query("SELECT COUNT() FROM Contact WHERE Email LIKE '%@bulk.example'").json("/totalSize"),
      "2");
  HttpClient hooks(sandbox_->url());
  EXPECT_EQ(hooks.send("GET", "/__sandbox/stats").json("/calls/bulk"), "9");
}

TEST_F(BulkTest, UpsertUpdateAndDeleteJobs) {
  const std::string upserted = run_ingest(
      R"({"object":"Contact","operation":"upsert","externalIdFieldName":"Email","columnDelimiter":"SEMICOLON"})",
      "Email;LastName;Account.Name\n"
      "jonathanl@nguyenindustries.example.com;Lewis-Updated;\n"
      "new@bulk.example;Newcomer;Nguyen Industries\n"
      "ghost@bulk.example;Ghost;No Such Account\n");
  const Reply ok = client_->api("GET", ingest() + "/" + upserted + "/successfulResults");
  EXPECT_NE(
      ok.body.find(R"("0035g0000019vJuAAI";"false";"jonathanl@nguyenindustries.example.com")"),
      std::string::npos)
      << ok.body;
  EXPECT_NE(ok.body.find(R"(;"true";"new@bulk.example";"Newcomer";"Nguyen Industries")"),
            std::string::npos);
  const Reply failed = client_->api("GET", ingest() + "/" + upserted + "/failedResults");
  EXPECT_NE(failed.body.find("INVALID_FIELD:Foreign key external ID: No Such Account not found"),
            std::string::npos)
      << failed.body;
  EXPECT_EQ(query("SELECT Account.Name FROM Contact WHERE Email = 'new@bulk.example'")
                .json("/records/0/Account/Name"),
            "Nguyen Industries");

  const std::string updated = run_ingest(R"({"object":"Contact","operation":"update"})",
                                         "Id,Title,Phone\n"
                                         "0035g0000019vJuAAI,Bulk Title,#N/A\n"
                                         "003SB0000000999AAA,Nope,\n");
  const Reply update_info = client_->api("GET", ingest() + "/" + updated);
  EXPECT_EQ(update_info.json("/numberRecordsFailed"), "1");
  const Reply contact =
      client_->api("GET", std::string(kData) + "/sobjects/Contact/0035g0000019vJuAAI");
  EXPECT_EQ(contact.json("/Title"), "Bulk Title");
  EXPECT_EQ(contact.json("/LastName"), "Lewis-Updated");
  EXPECT_EQ(contact.json("/MobilePhone"), "+13882016494");  // not in the CSV: untouched

  run_ingest(R"({"object":"Contact","operation":"delete"})", "Id\n0035g0000019vJuAAI\n");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE Id = '0035g0000019vJuAAI'").json("/totalSize"),
            "0");
}

// hardDelete erases for good: neither a query, queryAll nor a read by id finds the records, and
// the others keep their insertion order, before and after more records come.
TEST_F(BulkTest, HardDeleteJobErasesRecordsForGood) {
  std::string csv = "LastName,Email\n";
  for (int i = 1; i <= 5; ++i)
    csv += "Hard" + std::to_string(i) + ",h" + std::to_string(i) + "@hard.example\n";
  const std::string inserted = run_ingest(R"({"object":"Contact","operation":"insert"})", csv);
  const Reply ok = client_->api("GET", ingest() + "/" + inserted + "/successfulResults/");
  std::vector<std::string> ids;
  for (std::size_t at = ok.body.find("\n\"003"); at != std::string::npos;
       at = ok.body.find("\n\"003", at + 1))
    ids.push_back(ok.body.substr(at + 2, 18));
  ASSERT_EQ(ids.size(), 5U) << ok.body;

  const std::string erased = run_ingest(R"({"object":"Contact","operation":"hardDelete"})",
                                        "Id\n" + ids[0] + "\n" + ids[2] + "\n" + ids[4] + "\n");
  const Reply info = client_->api("GET", ingest() + "/" + erased);
  EXPECT_EQ(info.json("/numberRecordsProcessed"), "3");
  EXPECT_EQ(info.json("/numberRecordsFailed"), "0");
  const Reply erased_ok = client_->api("GET", ingest() + "/" + erased + "/successfulResults/");
  EXPECT_NE(erased_ok.body.find("\"" + ids[2] + "\",\"false\""), std::string::npos)
      << erased_ok.body;

  EXPECT_EQ(client_->api("GET", std::string(kData) + "/sobjects/Contact/" + ids[2]).status, 404);
  const std::string soql = "SELECT LastName FROM Contact WHERE Email LIKE '%@hard.example'";
  for (const char* resource : {"query", "queryAll"}) {
    const Reply left = query(soql, resource);
    EXPECT_EQ(left.json("/totalSize"), "2") << resource << ": " << left.body;
    EXPECT_EQ(left.json("/records/0/LastName"), "Hard2") << resource;
    EXPECT_EQ(left.json("/records/1/LastName"), "Hard4") << resource;
  }

  run_ingest(R"({"object":"Contact","operation":"insert"})",
             "LastName,Email\nHard6,h6@hard.example\n");
  const Reply after = query(soql);
  EXPECT_EQ(after.json("/totalSize"), "3") << after.body;
  EXPECT_EQ(after.json("/records/2/LastName"), "Hard6");
}

TEST_F(BulkTest, BadHeaderFailsTheJobAndLeavesRowsUnprocessed) {
  const std::string id =
      run_ingest(R"({"object":"Contact","operation":"insert"})", "LastName,Foo__c\nA,1\n");
  const Reply info = client_->api("GET", ingest() + "/" + id);
  EXPECT_EQ(info.json("/state"), "Failed");
  EXPECT_EQ(info.json("/errorMessage"), "InvalidBatch : Field name not found : Foo__c");
  EXPECT_EQ(client_->api("GET", ingest() + "/" + id + "/unprocessedrecords").body,
            "LastName,Foo__c\nA,1\n");
}

TEST_F(BulkTest, JobErrorsFollowTheStateRules) {
  EXPECT_EQ(client_->api("GET", ingest() + "/750SB0000000001AAA").status, 404);
  EXPECT_EQ(client_->api("POST", ingest(), R"({"object":"Nope","operation":"insert"})")
                .json("/0/errorCode"),
            "INVALIDENTITY");
  EXPECT_EQ(client_->api("POST", ingest(), R"({"object":"Contact","operation":"merge"})").status,
            400);
  EXPECT_EQ(client_->api("POST", ingest(), R"({"object":"Contact","operation":"upsert"})").status,
            400);
  EXPECT_EQ(client_->api("POST", ingest(), "{bad").json("/0/errorCode"), "JSON_PARSER_ERROR");
  const std::string id = create_ingest(R"({"object":"Contact","operation":"insert"})");
  EXPECT_EQ(client_
                ->api_body("PUT", ingest() + "/" + id + "/batches", "LastName\nX\n",
                           {"Content-Type: application/json"})
                .status,
            415);
  const Reply early_delete = client_->api("DELETE", ingest() + "/" + id);
  EXPECT_EQ(early_delete.status, 400);
  EXPECT_EQ(early_delete.json("/0/message"),
            "Error encountered when deleting the job because the job is not terminated");
  EXPECT_EQ(client_->api("PATCH", ingest() + "/" + id, R"({"state":"Aborted"})").json("/state"),
            "Aborted");
  const Reply again = client_->api("PATCH", ingest() + "/" + id, R"({"state":"Aborted"})");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.json("/0/errorCode"), "INVALIDJOBSTATE");
  EXPECT_EQ(client_->api("DELETE", ingest() + "/" + id).status, 204);
  EXPECT_EQ(client_->api("GET", ingest() + "/" + id).status, 404);
}

// GET of jobs/ingest and jobs/query lists every job of its kind, each as its full JobInfo, on
// one page.
TEST_F(BulkTest, JobListsHoldEveryJobOfTheirKind) {
  const std::string ingest_id =
      run_ingest(R"({"object":"Contact","operation":"insert","lineEnding":"LF"})",
                 "LastName,Email\nListed,listed@bulk.example\n");
  const std::string queries = std::string(kData) + "/jobs/query";
  const Reply query_job =
      client_->api("POST", queries, R"({"operation":"query","query":"SELECT Id FROM Contact"})");
  ASSERT_EQ(query_job.status, 200) << query_job.body;

  const Reply ingests = client_->api("GET", ingest());
  ASSERT_EQ(ingests.status, 200) << ingests.body;
  EXPECT_EQ(ingests.json("/done"), "true");
  EXPECT_EQ(ingests.json("/nextRecordsUrl"), "null");
  EXPECT_EQ(ingests.json("/records/0/id"), ingest_id);
  EXPECT_EQ(ingests.json("/records/0/state"), "JobComplete");
  EXPECT_EQ(ingests.json("/records/0/numberRecordsProcessed"), "1");
  EXPECT_EQ(ingests.json_size("/records"), 1U);

  const Reply listed = client_->api("GET", queries);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json("/records/0/id"), query_job.json("/id"));
  EXPECT_EQ(listed.json("/records/0/operation"), "query");
  EXPECT_EQ(listed.json_size("/records"), 1U);
}

TEST_F(BulkTest, QueryJobPagesWithLocators) {
  const std::string path = std::string(kData) + "/jobs/query";
  const Reply created = client_->api(
      "POST", path,
      R"({"operation":"query","query":"SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName"})");
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json("/state"), "UploadComplete");
  EXPECT_EQ(created.json("/object"), "Contact");
  const std::string id = created.json("/id");
  EXPECT_EQ(client_->api("GET", path + "/" + id + "/results").status, 400);  // not complete yet
  const auto states = poll(path + "/" + id);
  ASSERT_EQ(states, (std::vector<std::string>{"InProgress", "JobComplete"}));
  const std::size_t total = std::stoul(query("SELECT COUNT() FROM Contact").json("/totalSize"));
  ASSERT_GT(total, 5U);

  std::size_t rows = 0;
  std::string locator;
  int pages = 0;
  for (; pages < 100; ++pages) {
    const Reply page = client_->api("GET", path + "/" + id + "/results?maxRecords=4"
                                               + (locator.empty() ? "" : "&locator=" + locator));
    ASSERT_EQ(page.status, 200) << page.body;
    ASSERT_EQ(page.body.rfind("\"Id\",\"LastName\",\"Account.Name\"\n\"003", 0), 0U) << page.body;
    rows += std::stoul(page.header("sforce-numberofrecords"));
    locator = page.header("sforce-locator");
    if (locator == "null") break;
  }
  EXPECT_EQ(rows, total);
  EXPECT_EQ(pages + 1, static_cast<int>((total + 3) / 4));
  EXPECT_EQ(client_->api("GET", "/services/data/v60.0/jobs/query/" + id + "/results").status, 409);
  EXPECT_EQ(client_->api("GET", path + "/" + id + "/results?locator=%21%21").status, 400);
  EXPECT_EQ(
      client_->api("POST", path, R"({"operation":"query","query":"SELECT Nope FROM Contact"})")
          .json("/0/errorCode"),
      "INVALID_FIELD");
  EXPECT_EQ(client_->api("DELETE", path + "/" + id).status, 204);
}

}  // namespace
}  // namespace sandbox_test
