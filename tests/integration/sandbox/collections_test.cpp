// sObject Collections: create, update, upsert, delete, retrieve; allOrNone (reference §5).
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class CollectionsTest : public SandboxTest {
 protected:
  std::string path() const { return std::string(kData) + "/composite/sobjects"; }
};

TEST_F(CollectionsTest, CreateReturnsOneResultPerRecordInOrder) {
  const Reply reply = client_->api("POST", path(),
                                   R"({"allOrNone":false,"records":[
      {"attributes":{"type":"Account"},"Name":"example.com","BillingCity":"San Francisco"},
      {"attributes":{"type":"Contact"},"FirstName":"Erica"},
      {"attributes":{"type":"Contact"},"LastName":"Johnson","FirstName":"Erica"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  ASSERT_EQ(reply.json_size(""), 3U);
  EXPECT_EQ(reply.json("/0/id").substr(0, 3), "001");
  EXPECT_EQ(reply.json("/0/success"), "true");
  EXPECT_EQ(reply.json("/1/success"), "false");
  EXPECT_EQ(reply.json("/1/id"), "<missing>");
  EXPECT_EQ(reply.json("/1/errors/0/statusCode"), "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(reply.json("/1/errors/0/fields/0"), "LastName");
  EXPECT_EQ(reply.json("/2/id").substr(0, 3), "003");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE FirstName = 'Erica'").json("/totalSize"), "1");
}

TEST_F(CollectionsTest, AllOrNoneRollsBackEverything) {
  const Reply reply = client_->api("POST", path(),
                                   R"({"allOrNone":true,"records":[
      {"attributes":{"type":"Contact"},"LastName":"Good"},
      {"attributes":{"type":"Contact"},"LastName":"Bad","Email":"bad@"}]})");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.json("/0/errors/0/statusCode"), "ALL_OR_NONE_OPERATION_ROLLED_BACK");
  EXPECT_EQ(reply.json("/0/errors/0/message"),
            "Record rolled back because not all records were valid and the request was using "
            "AllOrNone header");
  EXPECT_EQ(reply.json("/1/errors/0/statusCode"), "INVALID_EMAIL_ADDRESS");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName = 'Good'").json("/totalSize"), "0");
}

TEST_F(CollectionsTest, UpdateNeedsIdsAndReportsPerRecord) {
  const Reply reply = client_->api("PATCH", path(),
                                   R"({"records":[
      {"attributes":{"type":"Contact"},"id":"0035g0000019vJuAAI","Title":"Updated"},
      {"attributes":{"type":"Contact"},"id":"003SB0000000999AAA","Title":"Ghost"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/0/success"), "true");
  EXPECT_EQ(reply.json("/1/errors/0/statusCode"), "INVALID_CROSS_REFERENCE_KEY");
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/sobjects/Contact/0035g0000019vJuAAI")
                .json("/Title"),
            "Updated");
}

TEST_F(CollectionsTest, UpsertReportsCreatedFlag) {
  const Reply reply = client_->api("PATCH", path() + "/Lead/Email",
                                   R"({"allOrNone":false,"records":[
      {"attributes":{"type":"Lead"},"Email":"a@lead.example","LastName":"A","Company":"Co"},
      {"attributes":{"type":"Lead"},"Email":"b@lead.example","LastName":"B","Company":"Co"}]})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/0/created"), "true");
  const Reply again = client_->api("PATCH", path() + "/Lead/Email",
                                   R"({"records":[
      {"attributes":{"type":"Lead"},"Email":"a@lead.example","Title":"T"},
      {"attributes":{"type":"Lead"},"Email":"a@lead.example","Title":"Twice"}]})");
  EXPECT_EQ(again.json("/0/created"), "false");
  EXPECT_EQ(again.json("/0/id"), reply.json("/0/id"));
  EXPECT_EQ(again.json("/1/errors/0/statusCode"), "DUPLICATE_EXTERNAL_ID");
  EXPECT_EQ(client_->api("PATCH", path() + "/Lead/Nope", R"({"records":[]})").status, 404);
}

TEST_F(CollectionsTest, DeleteAndRetrieve) {
  const Reply removed =
      client_->api("DELETE", path() + "?ids=0035g0000019vJuAAI,003SB0000000999AAA&allOrNone=false");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json("/0/id"), "0035g0000019vJuAAI");
  EXPECT_EQ(removed.json("/0/success"), "true");
  EXPECT_EQ(removed.json("/1/success"), "false");
  const Reply retrieved = client_->api(
      "GET", path() + "/Contact?ids=0035g0000019vJuAAI,0035g000002XafqAAC&fields=LastName");
  ASSERT_EQ(retrieved.status, 200) << retrieved.body;
  EXPECT_EQ(retrieved.json("/0"), "null");
  EXPECT_EQ(retrieved.json("/1/LastName"), "Rossi");
}

TEST_F(CollectionsTest, MoreThan200RecordsIsRejected) {
  std::string body = R"({"records":[)";
  for (int i = 0; i < 201; ++i)
    body += std::string(i == 0 ? "" : ",") + R"({"attributes":{"type":"Contact"},"LastName":"N"})";
  body += "]}";
  const Reply reply = client_->api("POST", path(), body);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json("/0/errorCode"), "EXCEEDED_ID_LIMIT");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName = 'N'").json("/totalSize"), "0");
}

TEST_F(CollectionsTest, MissingTypeIsABadRequest) {
  const Reply reply = client_->api("POST", path(), R"({"records":[{"LastName":"N"}]})");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.json("/0/errorCode"), "INVALID_TYPE");
}

}  // namespace
}  // namespace sandbox_test
