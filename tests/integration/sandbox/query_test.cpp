// SOQL over REST: parsing, filtering, relationships, ordering, paging and error shapes (§3).
#include <set>

#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class QueryTest : public SandboxTest {};

TEST_F(QueryTest, SelectsFieldsInOrderWithAttributes) {
  const Reply reply = query(
      "SELECT Id, Email, LastName FROM Contact WHERE Email = "
      "'JONATHANL@nguyenindustries.example.com'");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/totalSize"), "1");
  EXPECT_EQ(reply.json("/done"), "true");
  EXPECT_EQ(reply.json("/records/0/attributes/type"), "Contact");
  EXPECT_EQ(reply.json("/records/0/attributes/url"),
            "/services/data/v66.0/sobjects/Contact/0035g0000019vJuAAI");
  EXPECT_EQ(reply.json("/records/0/Id"), "0035g0000019vJuAAI");
  EXPECT_EQ(reply.json("/records/0/LastName"), "Lewis");
  EXPECT_NE(reply.body.find(R"("Id":"0035g0000019vJuAAI","Email":)"), std::string::npos)
      << "SELECT order";
}

TEST_F(QueryTest, ParentRelationshipFieldsAreNestedObjects) {
  const Reply reply =
      query("SELECT Name, Account.Name, Owner.Email FROM Contact WHERE Id = '0035g0000019vJu'");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/records/0/Account/attributes/type"), "Account");
  EXPECT_EQ(reply.json("/records/0/Account/Name"), "Nguyen Industries");
  EXPECT_EQ(reply.json("/records/0/Owner/Email"), "erin.muller@acme.example");
  const Reply created =
      client_->api("POST", std::string(kData) + "/sobjects/Contact", R"({"LastName":"Orphan"})");
  const Reply orphan =
      query("SELECT Account.Name FROM Contact WHERE Id = '" + created.json("/id") + "'");
  EXPECT_EQ(orphan.json("/records/0/Account"), "null");
}

TEST_F(QueryTest, WhereSupportsBooleanLogicInLikeAndNull) {
  EXPECT_EQ(
      query(
          "SELECT Id FROM Contact WHERE LastName IN ('Lewis','Rossi') AND NOT (FirstName = 'José')")
          .json("/totalSize"),
      query("SELECT Id FROM Contact WHERE (LastName = 'Lewis' OR LastName = 'Rossi') AND FirstName "
            "!= 'José'")
          .json("/totalSize"));
  const Reply like = query("SELECT LastName FROM Contact WHERE LastName LIKE 'lew%'");
  ASSERT_EQ(like.status, 200);
  for (std::size_t i = 0; i < like.json_size("/records"); ++i) {
    EXPECT_EQ(like.json("/records/" + std::to_string(i) + "/LastName").substr(0, 3), "Lew");
  }
  const std::string all = query("SELECT COUNT() FROM Contact").json("/totalSize");
  const long with_phone =
      std::stol(query("SELECT COUNT() FROM Contact WHERE Phone != null").json("/totalSize"));
  const long without =
      std::stol(query("SELECT COUNT() FROM Contact WHERE Phone = null").json("/totalSize"));
  EXPECT_EQ(std::to_string(with_phone + without), all);
  EXPECT_GT(without, 0);
  const long not_in = std::stol(
      query("SELECT COUNT() FROM Contact WHERE LastName NOT IN ('Lewis')").json("/totalSize"));
  const long lewis =
      std::stol(query("SELECT COUNT() FROM Contact WHERE LastName = 'Lewis'").json("/totalSize"));
  EXPECT_EQ(std::to_string(not_in + lewis), all);
  const Reply escaped = client_->api("POST", std::string(kData) + "/sobjects/Account",
                                     R"({"Name":"Bob's BBQ \\ Grill"})");
  ASSERT_EQ(escaped.status, 201);
  EXPECT_EQ(
      query(R"(SELECT Id FROM Account WHERE Name = 'Bob\'s BBQ \\ Grill')").json("/totalSize"),
      "1");
}

TEST_F(QueryTest, CountOnlyReturnsTotalSizeAndNoRecords) {
  const Reply reply = query("SELECT COUNT() FROM Contact");
  EXPECT_EQ(reply.body, R"({"totalSize":200,"done":true,"records":[]})");
}

TEST_F(QueryTest, OrderByLimitAndOffset) {
  const Reply first =
      query("SELECT LastName FROM Contact ORDER BY LastName DESC, FirstName LIMIT 5");
  ASSERT_EQ(first.json_size("/records"), 5U);
  for (int i = 0; i < 4; ++i) {
    EXPECT_GE(first.json("/records/" + std::to_string(i) + "/LastName"),
              first.json("/records/" + std::to_string(i + 1) + "/LastName"));
  }
  const Reply shifted =
      query("SELECT LastName FROM Contact ORDER BY LastName DESC, FirstName LIMIT 2 OFFSET 3");
  EXPECT_EQ(shifted.json("/records/0/LastName"), first.json("/records/3/LastName"));
}

TEST_F(QueryTest, SystemModstampFilterSeesOnlyLaterChanges) {
  const Reply before =
      query("SELECT SystemModstamp FROM Contact ORDER BY SystemModstamp DESC LIMIT 1");
  const std::string watermark = before.json("/records/0/SystemModstamp");
  ASSERT_EQ(watermark.size(), 28U) << watermark;  // 2026-01-01T00:00:00.000+0000
  const std::string id = query("SELECT Id FROM Contact LIMIT 1").json("/records/0/Id");
  // The datetime literal is unquoted; +0000 must be written as +00:00 or Z in SOQL.
  const std::string literal = watermark.substr(0, 23) + "Z";
  EXPECT_EQ(query("SELECT Id FROM Contact WHERE SystemModstamp > " + literal).json("/totalSize"),
            "0");
  ASSERT_EQ(
      client_
          ->api("PATCH", std::string(kData) + "/sobjects/Contact/" + id, R"({"Title":"Changed"})")
          .status,
      204);
  const Reply after =
      query("SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp > " + literal);
  EXPECT_EQ(after.json("/totalSize"), "1");
  EXPECT_EQ(after.json("/records/0/Id"), id);
}

TEST_F(QueryTest, PagingFollowsNextRecordsUrlWithConstantTotalSize) {
  const Reply first =
      client_->api("GET", std::string(kData) + "/query?q=" + url_encode("SELECT Id FROM Contact"),
                   "", {"Sforce-Query-Options: batchSize=200"});
  ASSERT_EQ(first.status, 200);
  // 200 contacts, batch 200: one page. Add one to force a second page.
  EXPECT_EQ(first.json("/done"), "true");
  client_->api("POST", std::string(kData) + "/sobjects/Contact", R"({"LastName":"Extra"})");
  const Reply page1 =
      client_->api("GET", std::string(kData) + "/query/?q=" + url_encode("SELECT Id FROM Contact"),
                   "", {"Sforce-Query-Options: batchSize=200"});
  EXPECT_EQ(page1.json("/totalSize"), "201");
  EXPECT_EQ(page1.json("/done"), "false");
  EXPECT_EQ(page1.json_size("/records"), 200U);
  const std::string next = page1.json("/nextRecordsUrl");
  EXPECT_EQ(next.rfind("/services/data/v66.0/query/01g", 0), 0U) << next;
  EXPECT_EQ(next.substr(next.size() - 4), "-200");
  const Reply page2 = client_->api("GET", next);
  ASSERT_EQ(page2.status, 200) << page2.body;
  EXPECT_EQ(page2.json("/totalSize"), "201");
  EXPECT_EQ(page2.json("/done"), "true");
  EXPECT_EQ(page2.json("/nextRecordsUrl"), "<missing>");
  EXPECT_EQ(page2.json_size("/records"), 1U);
  const Reply bad = client_->api("GET", std::string(kData) + "/query/01gSB0000000000AAA-200");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json("/0/errorCode"), "INVALID_QUERY_LOCATOR");
}

TEST_F(QueryTest, QueryAllIncludesDeletedRecords) {
  const std::string id = query("SELECT Id FROM Contact LIMIT 1").json("/records/0/Id");
  ASSERT_EQ(client_->api("DELETE", std::string(kData) + "/sobjects/Contact/" + id).status, 204);
  EXPECT_EQ(query("SELECT Id FROM Contact WHERE Id = '" + id + "'").json("/totalSize"), "0");
  const Reply all = query("SELECT Id, IsDeleted FROM Contact WHERE Id = '" + id + "'", "queryAll");
  EXPECT_EQ(all.json("/totalSize"), "1");
  EXPECT_EQ(all.json("/records/0/IsDeleted"), "true");
}

TEST_F(QueryTest, SyntaxErrorsAreMalformedQueryWithPosition) {
  const Reply reply = query("SELECT Id FRM Contact");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(
      reply.body,
      R"([{"message":"\nSELECT Id FRM Contact\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FRM'","errorCode":"MALFORMED_QUERY"}])");
  EXPECT_EQ(query("SELECT Id FROM Contact WHERE Name = 'unterminated").json("/0/errorCode"),
            "MALFORMED_QUERY");
  EXPECT_EQ(query("SELECT Id FROM Contact WHERE Name = 'bad\\q'").json("/0/errorCode"),
            "MALFORMED_QUERY");
  EXPECT_EQ(query("SELECT FROM Contact").json("/0/errorCode"), "MALFORMED_QUERY");
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/query").json("/0/errorCode"),
            "MALFORMED_QUERY");
}

TEST_F(QueryTest, UnknownFieldsTypesAndMismatchedLiterals) {
  const Reply field = query("SELECT Id, Foo FROM Contact");
  EXPECT_EQ(field.status, 400);
  EXPECT_EQ(field.json("/0/errorCode"), "INVALID_FIELD");
  EXPECT_NE(field.json("/0/message").find("No such column 'Foo' on entity 'Contact'"),
            std::string::npos);
  const Reply relation = query("SELECT Boss.Name FROM Contact");
  EXPECT_EQ(relation.json("/0/errorCode"), "INVALID_FIELD");
  const Reply type = query("SELECT Id FROM Widget");
  EXPECT_EQ(type.json("/0/errorCode"), "INVALID_TYPE");
  EXPECT_NE(type.json("/0/message").find("sObject type 'Widget' is not supported."),
            std::string::npos);
  const Reply quoted_date =
      query("SELECT Id FROM Contact WHERE CreatedDate > '2020-01-01T00:00:00Z'");
  EXPECT_EQ(quoted_date.json("/0/errorCode"), "INVALID_FIELD");
  EXPECT_NE(quoted_date.json("/0/message")
                .find("must be of type dateTime and should not be enclosed in quotes"),
            std::string::npos);
}

}  // namespace
}  // namespace sandbox_test
