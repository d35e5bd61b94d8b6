// Composite (references, allOrNone) and composite batch (reference §5.7).
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class CompositeTest : public SandboxTest {
 protected:
  Reply composite(const std::string& body) {
    return client_->api("POST", std::string(kData) + "/composite", body);
  }
  Reply batch(const std::string& body) {
    return client_->api("POST", std::string(kData) + "/composite/batch", body);
  }
};

TEST_F(CompositeTest, LaterSubrequestsReferenceEarlierResults) {
  const Reply reply = composite(R"({"allOrNone":true,"compositeRequest":[
    {"method":"POST","url":"/services/data/v66.0/sobjects/Account","referenceId":"refAccount",
     "body":{"Name":"Composite Co"}},
    {"method":"POST","url":"/services/data/v66.0/sobjects/Contact","referenceId":"refContact",
     "body":{"LastName":"Ref","AccountId":"@{refAccount.id}"}},
    {"method":"GET","url":"/services/data/v66.0/sobjects/Contact/@{refContact.id}?fields=AccountId",
     "referenceId":"readBack"},
    {"method":"GET","url":"/services/data/v66.0/query?q=SELECT+Id+FROM+Account+WHERE+Name='Composite+Co'",
     "referenceId":"found"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string account = reply.json("/compositeResponse/0/body/id");
  EXPECT_EQ(account.substr(0, 3), "001");
  EXPECT_EQ(reply.json("/compositeResponse/0/httpStatusCode"), "201");
  EXPECT_EQ(reply.json("/compositeResponse/0/referenceId"), "refAccount");
  EXPECT_EQ(reply.json("/compositeResponse/0/httpHeaders/Location"),
            "/services/data/v66.0/sobjects/Account/" + account);
  EXPECT_EQ(reply.json("/compositeResponse/2/httpStatusCode"), "200");
  EXPECT_EQ(reply.json("/compositeResponse/2/body/AccountId"), account);
  EXPECT_EQ(reply.json("/compositeResponse/2/httpHeaders"), "{}");
  EXPECT_EQ(reply.json("/compositeResponse/3/body/records/0/Id"), account);
  HttpClient hooks(sandbox_->url());
  EXPECT_EQ(hooks.send("GET", "/__sandbox/stats").json("/calls/composite"), "1");
}

TEST_F(CompositeTest, AllOrNoneRollsBackEarlierSubrequests) {
  const Reply reply = composite(R"({"allOrNone":true,"compositeRequest":[
    {"method":"POST","url":"/services/data/v66.0/sobjects/Account","referenceId":"refAccount",
     "body":{"Name":"Rolled Back Co"}},
    {"method":"PATCH","url":"/services/data/v66.0/sobjects/Contact/0035g0000019vJuAAI",
     "referenceId":"touch","body":{"Title":"Should Not Stick"}},
    {"method":"POST","url":"/services/data/v66.0/sobjects/Contact","referenceId":"bad",
     "body":{"LastName":"Bad","Email":"not-an-email"}},
    {"method":"GET","url":"/services/data/v66.0/limits","referenceId":"never"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/compositeResponse/0/httpStatusCode"), "400");
  EXPECT_EQ(reply.json("/compositeResponse/0/body/0/errorCode"), "PROCESSING_HALTED");
  EXPECT_EQ(reply.json("/compositeResponse/0/body/0/message"),
            "The transaction was rolled back since another operation in the same transaction "
            "failed.");
  EXPECT_EQ(reply.json("/compositeResponse/2/body/0/errorCode"), "INVALID_EMAIL_ADDRESS");
  EXPECT_EQ(reply.json("/compositeResponse/3/body/0/errorCode"), "PROCESSING_HALTED");
  EXPECT_EQ(query("SELECT COUNT() FROM Account WHERE Name = 'Rolled Back Co'").json("/totalSize"),
            "0");
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/sobjects/Contact/0035g0000019vJuAAI")
                .json("/Title"),
            "Head of Supply Chain");
}

TEST_F(CompositeTest, WithoutAllOrNoneOnlyDependentsFail) {
  const Reply reply = composite(R"({"compositeRequest":[
    {"method":"POST","url":"/services/data/v66.0/sobjects/Contact","referenceId":"bad",
     "body":{"FirstName":"NoLast"}},
    {"method":"GET","url":"/services/data/v66.0/sobjects/Contact/@{bad.id}","referenceId":"dep"},
    {"method":"POST","url":"/services/data/v66.0/sobjects/Contact","referenceId":"good",
     "body":{"LastName":"Kept"}}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/compositeResponse/0/body/0/errorCode"), "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(reply.json("/compositeResponse/1/httpStatusCode"), "400");
  EXPECT_EQ(reply.json("/compositeResponse/1/body/0/errorCode"), "PROCESSING_HALTED");
  EXPECT_EQ(reply.json("/compositeResponse/2/httpStatusCode"), "201");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName = 'Kept'").json("/totalSize"), "1");
}

TEST_F(CompositeTest, MalformedCompositeRequestsAreRefused) {
  std::string many = R"({"compositeRequest":[)";
  for (int i = 0; i < 26; ++i) {
    many += std::string(i == 0 ? "" : ",")
            + R"({"method":"GET","url":"/services/data/v66.0/limits","referenceId":"r)"
            + std::to_string(i) + R"("})";
  }
  many += "]}";
  EXPECT_EQ(composite(many).status, 400);
  EXPECT_EQ(composite("{not json").json("/0/errorCode"), "JSON_PARSER_ERROR");
  EXPECT_EQ(composite(R"({"compositeRequest":[{"method":"GET"}]})").status, 400);
  EXPECT_EQ(
      client_->send("POST", std::string(kData) + "/composite", "{}", {"Content-Type: text/plain"})
          .status,
      401);  // no token on send(): the session check comes first
  const Reply wrong_type =
      client_->api("POST", std::string(kData) + "/composite", "", {"Content-Type: text/plain"});
  EXPECT_EQ(wrong_type.status, 415);
  const Reply unknown = composite(R"({"compositeRequest":[
    {"method":"GET","url":"/services/data/v66.0/sobjects/Nope/describe","referenceId":"x"},
    {"method":"GET","url":"/nowhere","referenceId":"y"}]})");
  EXPECT_EQ(unknown.json("/compositeResponse/0/httpStatusCode"), "404");
  EXPECT_EQ(unknown.json("/compositeResponse/1/httpStatusCode"), "404");
}

TEST_F(CompositeTest, BatchRunsIndependentSubrequests) {
  const Reply reply = batch(R"({"batchRequests":[
    {"method":"PATCH","url":"v66.0/sobjects/Contact/0035g0000019vJuAAI","richInput":{"Title":"Batched"}},
    {"method":"GET","url":"v66.0/sobjects/Contact/0035g0000019vJuAAI?fields=Title"},
    {"method":"GET","url":"v66.0/sobjects/Contact/003SB0000000999AAA"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body.rfind(R"({"hasErrors":true,"results":[)", 0), 0U);
  EXPECT_EQ(reply.json("/results/0/statusCode"), "204");
  EXPECT_EQ(reply.json("/results/0/result"), "null");
  EXPECT_EQ(reply.json("/results/1/result/Title"), "Batched");
  EXPECT_EQ(reply.json("/results/2/statusCode"), "404");
  HttpClient hooks(sandbox_->url());
  const Reply stats = hooks.send("GET", "/__sandbox/stats");
  EXPECT_EQ(stats.json("/apiUsage"), "3");  // one per subrequest
}

TEST_F(CompositeTest, BatchHaltsOnErrorWith412) {
  const Reply reply = batch(R"({"haltOnError":true,"batchRequests":[
    {"method":"POST","url":"v66.0/sobjects/Contact","richInput":{"FirstName":"NoLast"}},
    {"method":"POST","url":"v66.0/sobjects/Contact","richInput":{"LastName":"Halted"}}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/results/0/statusCode"), "400");
  EXPECT_EQ(reply.json("/results/1/statusCode"), "412");
  EXPECT_EQ(reply.json("/results/1/result/0/errorCode"), "BATCH_PROCESSING_HALTED");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName = 'Halted'").json("/totalSize"), "0");
}

}  // namespace
}  // namespace sandbox_test
