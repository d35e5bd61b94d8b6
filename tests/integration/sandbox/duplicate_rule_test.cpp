// The configurable Contact duplicate rule (reference §7.3 DUPLICATES_DETECTED, §2.3 header).
#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

constexpr const char* kAllowSave = "Sforce-Duplicate-Rule-Header: allowSave=true";
// A seeded contact: Jonathan Lewis of Nguyen Industries.
constexpr const char* kLewis = "0035g0000019vJuAAI";
constexpr const char* kNguyen = "0015g000001JTeKAAW";

class DuplicateRuleTest : public SandboxTest {
 protected:
  void set_rule(const std::string& rule) {
    HttpClient hooks(sandbox_->url());
    ASSERT_EQ(hooks.send("POST", "/__sandbox/duplicate-rule", rule).status, 200);
  }
  Reply create(const std::string& body, std::vector<std::string> headers = {}) {
    return client_->api("POST", std::string(kData) + "/sobjects/Contact", body, std::move(headers));
  }
};

TEST_F(DuplicateRuleTest, OffByDefault) {
  EXPECT_EQ(
      create(R"({"LastName":"Lewis","Email":"jonathanl@nguyenindustries.example.com"})").status,
      201);
}

TEST_F(DuplicateRuleTest, ExactEmailIsRefusedWithMatchRecordsUnlessAllowSave) {
  set_rule("email");
  const std::string body =
      R"({"LastName":"Other","Email":"JonathanL@NguyenIndustries.example.com"})";
  const Reply refused = create(body);
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.json("/0/errorCode"), "DUPLICATES_DETECTED");
  EXPECT_EQ(refused.json("/0/message"), "Use one of these records?");
  EXPECT_EQ(refused.json("/0/fields"), "[]");
  EXPECT_EQ(refused.json("/0/duplicateResult/allowSave"), "true");
  EXPECT_EQ(refused.json("/0/duplicateResult/duplicateRule"), "Standard_Contact_Duplicate_Rule");
  EXPECT_EQ(refused.json("/0/duplicateResult/matchResults/0/entityType"), "Contact");
  EXPECT_EQ(refused.json("/0/duplicateResult/matchResults/0/size"), "1");
  EXPECT_EQ(refused.json("/0/duplicateResult/matchResults/0/matchRecords/0/record/Id"), kLewis);
  EXPECT_EQ(refused.json("/0/duplicateResult/matchResults/0/matchRecords/0/record/attributes/url"),
            std::string("/services/data/v66.0/sobjects/Contact/") + kLewis);
  EXPECT_EQ(create(body, {kAllowSave}).status, 201);
}

TEST_F(DuplicateRuleTest, FuzzyNameMatchesWithinTheSameAccountOnly) {
  set_rule("name");
  const Reply typo =
      create(std::string(R"({"FirstName":"Jonathon","LastName":"Lewis","AccountId":")") + kNguyen
             + R"("})");
  EXPECT_EQ(typo.status, 400) << typo.body;
  EXPECT_EQ(typo.json("/0/duplicateResult/matchResults/0/matchRecords/0/record/Id"), kLewis);
  EXPECT_EQ(create(R"({"FirstName":"Jonathan","LastName":"Lewis"})").status, 201);  // no account
  EXPECT_EQ(create(std::string(R"({"FirstName":"Maria","LastName":"Lewis","AccountId":")") + kNguyen
                   + R"("})")
                .status,
            201);
}

TEST_F(DuplicateRuleTest, CollectionsReportTheItemErrorAndBlockModeIgnoresTheHeader) {
  set_rule("email,block");
  const Reply reply = client_->api("POST", std::string(kData) + "/composite/sobjects",
                                   R"({"records":[
        {"attributes":{"type":"Contact"},"LastName":"Dup","Email":"jonathanl@nguyenindustries.example.com"},
        {"attributes":{"type":"Contact"},"LastName":"Fresh","Email":"fresh@dup.example"}]})",
                                   {kAllowSave});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/0/success"), "false");
  EXPECT_EQ(reply.json("/0/errors/0/statusCode"), "DUPLICATES_DETECTED");
  EXPECT_EQ(reply.json("/0/errors/0/message"), "Use one of these records?");
  EXPECT_EQ(reply.json("/1/success"), "true");
  const Reply single = create(
      R"({"LastName":"Dup","Email":"jonathanl@nguyenindustries.example.com"})", {kAllowSave});
  EXPECT_EQ(single.status, 400);
  EXPECT_EQ(single.json("/0/duplicateResult/allowSave"), "false");
}

TEST_F(DuplicateRuleTest, BadRuleIsRefused) {
  HttpClient hooks(sandbox_->url());
  EXPECT_EQ(hooks.send("POST", "/__sandbox/duplicate-rule", "phonetic").status, 400);
}

}  // namespace
}  // namespace sandbox_test
