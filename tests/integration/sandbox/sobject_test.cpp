// Single-record CRUD, upsert by external id and validation errors (reference §4, §7.3).
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class SobjectTest : public SandboxTest {
 protected:
  Reply create_contact(const std::string& body) {
    return client_->api("POST", std::string(kData) + "/sobjects/Contact", body);
  }
};

TEST_F(SobjectTest, CreateReadUpdateDelete) {
  const Reply created = create_contact(
      R"({"FirstName":"Jane","LastName":"Doe","Email":"jane@example.com","AccountId":"0015g000001JTeK"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json("/id");
  EXPECT_EQ(created.body, R"({"id":")" + id + R"(","success":true,"errors":[]})");
  EXPECT_EQ(id.size(), 18U);
  EXPECT_EQ(id.substr(0, 3), "003");

  const Reply read = client_->api("GET", std::string(kData) + "/sobjects/Contact/" + id);
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.json("/attributes/url"), "/services/data/v66.0/sobjects/Contact/" + id);
  EXPECT_EQ(read.json("/Name"), "Jane Doe");
  EXPECT_EQ(read.json("/AccountId"), "0015g000001JTeKAAW");  // a 15-char id is stored as 18
  EXPECT_EQ(read.json("/IsDeleted"), "false");
  EXPECT_EQ(read.json("/CreatedDate").size(), 28U);
  EXPECT_EQ(read.json("/OwnerId").substr(0, 3), "005");

  const Reply update = client_->api("PATCH", std::string(kData) + "/sobjects/Contact/" + id,
                                    R"({"Title":"CTO","Email":null})");
  EXPECT_EQ(update.status, 204);
  EXPECT_TRUE(update.body.empty());
  const Reply partial =
      client_->api("GET", std::string(kData) + "/sobjects/Contact/" + id + "?fields=Title,Email");
  EXPECT_EQ(partial.json("/Title"), "CTO");
  EXPECT_EQ(partial.json("/Email"), "null");
  EXPECT_EQ(partial.json("/LastName"), "<missing>");

  EXPECT_EQ(client_->api("DELETE", std::string(kData) + "/sobjects/Contact/" + id).status, 204);
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/sobjects/Contact/" + id).status, 404);
  const Reply again = client_->api("DELETE", std::string(kData) + "/sobjects/Contact/" + id);
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.json("/0/errorCode"), "ENTITY_IS_DELETED");
}

TEST_F(SobjectTest, EighteenCharIdsResolveCaseInsensitively) {
  const Reply lower =
      client_->api("GET", std::string(kData) + "/sobjects/Contact/0035G0000019VJUAAI");
  ASSERT_EQ(lower.status, 200) << lower.body;
  EXPECT_EQ(lower.json("/Id"), "0035g0000019vJuAAI");
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/sobjects/Contact/0035g0000019vJu").status,
            200);
}

TEST_F(SobjectTest, NotFoundShapes) {
  const Reply missing =
      client_->api("GET", std::string(kData) + "/sobjects/Contact/003SB000000000AAAA");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body,
            R"([{"message":"The requested resource does not exist","errorCode":"NOT_FOUND"}])");
  const Reply wrong_object =
      client_->api("GET", std::string(kData) + "/sobjects/Account/0035g0000019vJuAAI");
  EXPECT_EQ(wrong_object.status, 404);
  const Reply bad_key = client_->api("GET", std::string(kData) + "/sobjects/Contact/Namez/x");
  EXPECT_EQ(bad_key.status, 404);
  EXPECT_EQ(bad_key.json("/0/message"),
            "Provided external ID field does not exist or is not accessible: Namez");
  EXPECT_EQ(client_->api("POST", std::string(kData) + "/sobjects/Widget", R"({"Name":"x"})").status,
            404);
}

TEST_F(SobjectTest, ValidationErrorsMatchTheOrg) {
  const Reply required = create_contact(R"({"FirstName":"NoLast"})");
  EXPECT_EQ(required.status, 400);
  EXPECT_EQ(
      required.body,
      R"([{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}])");
  const Reply too_long = create_contact(R"({"LastName":")" + std::string(81, 'x') + R"("})");
  EXPECT_EQ(too_long.json("/0/errorCode"), "STRING_TOO_LONG");
  EXPECT_EQ(too_long.json("/0/message"),
            "Last Name: data value too large: " + std::string(81, 'x') + " (max length=80)");
  EXPECT_EQ(too_long.json("/0/fields/0"), "LastName");
  // Lengths count characters, not bytes.
  std::string accented;
  for (int i = 0; i < 80; ++i)
    accented += "é";
  EXPECT_EQ(create_contact(R"({"LastName":")" + accented + R"("})").status, 201);
  const Reply email = create_contact(R"({"LastName":"X","Email":"not-an-email"})");
  EXPECT_EQ(email.json("/0/errorCode"), "INVALID_EMAIL_ADDRESS");
  EXPECT_EQ(email.json("/0/fields/0"), "Email");
  const Reply unknown = create_contact(R"({"LastName":"X","Foo__c":"y"})");
  EXPECT_EQ(
      unknown.body,
      R"([{"message":"No such column 'Foo__c' on sobject of type Contact","errorCode":"INVALID_FIELD","fields":[]}])");
  const Reply read_only = create_contact(R"({"LastName":"X","Name":"Full"})");
  EXPECT_EQ(read_only.json("/0/errorCode"), "INVALID_FIELD_FOR_INSERT_UPDATE");
  const Reply lookup = create_contact(R"({"LastName":"X","AccountId":"001SB0000000099AAA"})");
  EXPECT_EQ(lookup.json("/0/errorCode"), "INVALID_CROSS_REFERENCE_KEY");
  const Reply malformed = create_contact(R"({"LastName":"X","AccountId":"nonsense"})");
  EXPECT_EQ(malformed.json("/0/errorCode"), "MALFORMED_ID");
  const Reply type = create_contact(R"({"LastName":"X","DoNotCall":"maybe"})");
  EXPECT_EQ(type.json("/0/errorCode"), "JSON_PARSER_ERROR");
  const Reply picklist = client_->api("POST", std::string(kData) + "/sobjects/Lead",
                                      R"({"LastName":"L","Company":"C","Status":"Thinking"})");
  EXPECT_EQ(picklist.json("/0/errorCode"), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
  EXPECT_EQ(picklist.json("/0/message"),
            "Status: bad value for restricted picklist field: Thinking");
  const Reply lead_company =
      client_->api("POST", std::string(kData) + "/sobjects/Lead", R"({"LastName":"L"})");
  EXPECT_EQ(lead_company.json("/0/message"), "Required fields are missing: [Company]");
  // Nothing invalid was stored.
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName = 'X'").json("/totalSize"), "0");
}

TEST_F(SobjectTest, LeadStatusDefaultsOnCreate) {
  const Reply lead = client_->api("POST", std::string(kData) + "/sobjects/Lead",
                                  R"({"LastName":"L","Company":"C"})");
  ASSERT_EQ(lead.status, 201);
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/sobjects/Lead/" + lead.json("/id"))
                .json("/Status"),
            "Open - Not Contacted");
}

TEST_F(SobjectTest, UpsertByIdLookupFieldCreatesUpdatesOrReportsMultipleMatches) {
  const std::string path = std::string(kData) + "/sobjects/Lead/Email/";
  const Reply created = client_->api("PATCH", path + url_encode("new@lead.example"),
                                     R"({"LastName":"New","Company":"Co"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json("/created"), "true");
  const Reply updated =
      client_->api("PATCH", path + url_encode("NEW@lead.example"), R"({"Title":"Boss"})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.body, R"({"id":")" + created.json("/id")
                              + R"(","success":true,"errors":[],"created":false})");
  const Reply old_api = client_->api(
      "PATCH", "/services/data/v45.0/sobjects/Lead/Email/" + url_encode("new@lead.example"),
      R"({"Title":"Boss"})");
  EXPECT_EQ(old_api.status, 204);
  client_->api("POST", std::string(kData) + "/sobjects/Lead",
               R"({"LastName":"Twin","Company":"Co","Email":"new@lead.example"})");
  const Reply multiple =
      client_->api("PATCH", path + url_encode("new@lead.example"), R"({"Title":"X"})");
  EXPECT_EQ(multiple.status, 300);
  EXPECT_EQ(multiple.json_size(""), 2U);
  EXPECT_EQ(multiple.json("/0"), "/services/data/v66.0/sobjects/Lead/" + created.json("/id"));
}

}  // namespace
}  // namespace sandbox_test
