// OAuth token endpoint and session checks (reference §1).
#include <thread>

#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";

class AuthTest : public SandboxTest {};

TEST_F(AuthTest, ClientCredentialsReturnsTheDocumentedFields) {
  HttpClient anonymous(sandbox_->url());
  const Reply reply = anonymous.send(
      "POST", "/services/oauth2/token",
      "grant_type=client_credentials&client_id=crmsync-sandbox&client_secret=sandbox-secret",
      {kForm});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/access_token").substr(0, 16), "00DSB0000000001!");
  EXPECT_EQ(reply.json("/instance_url"), sandbox_->url());
  EXPECT_EQ(reply.json("/token_type"), "Bearer");
  EXPECT_EQ(reply.json("/issued_at").size(), 13U);
  EXPECT_EQ(reply.json("/refresh_token"), "<missing>");
  EXPECT_EQ(reply.json("/id").rfind("https://login.salesforce.com/id/00DSB0000000001", 0), 0U);
}

TEST_F(AuthTest, BasicAuthHeaderCarriesTheClientCredentials) {
  HttpClient anonymous(sandbox_->url());
  // base64("crmsync-sandbox:sandbox-secret")
  const Reply reply =
      anonymous.send("POST", "/services/oauth2/token", "grant_type=client_credentials",
                     {kForm, "Authorization: Basic Y3Jtc3luYy1zYW5kYm94OnNhbmRib3gtc2VjcmV0"});
  EXPECT_EQ(reply.status, 200) << reply.body;
}

TEST_F(AuthTest, WrongSecretAndUnknownGrantAreOAuthErrors) {
  HttpClient anonymous(sandbox_->url());
  const Reply wrong = anonymous.send(
      "POST", "/services/oauth2/token",
      "grant_type=client_credentials&client_id=crmsync-sandbox&client_secret=nope", {kForm});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json("/error"), "invalid_client");
  const Reply unknown_client = anonymous.send(
      "POST", "/services/oauth2/token",
      "grant_type=client_credentials&client_id=x&client_secret=sandbox-secret", {kForm});
  EXPECT_EQ(unknown_client.json("/error"), "invalid_client_id");
  const Reply grant = anonymous.send("POST", "/services/oauth2/token", "grant_type=magic", {kForm});
  EXPECT_EQ(grant.status, 400);
  EXPECT_EQ(grant.body,
            R"({"error":"unsupported_grant_type","error_description":"grant type not supported"})");
}

TEST_F(AuthTest, PasswordFlowIssuesARefreshTokenThatRefreshes) {
  HttpClient anonymous(sandbox_->url());
  const Reply login =
      anonymous.send("POST", "/services/oauth2/token",
                     "grant_type=password&client_id=crmsync-sandbox&client_secret=sandbox-secret"
                     "&username=alice.johnson%40acme.example.crm&password=sandbox-password",
                     {kForm});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string refresh = login.json("/refresh_token");
  ASSERT_FALSE(refresh.empty());
  const Reply refreshed = anonymous.send("POST", "/services/oauth2/token",
                                         "grant_type=refresh_token&client_id=crmsync-sandbox&"
                                         "client_secret=sandbox-secret&refresh_token="
                                             + url_encode(refresh),
                                         {kForm});
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  EXPECT_NE(refreshed.json("/access_token"), login.json("/access_token"));
  EXPECT_EQ(refreshed.json("/refresh_token"), "<missing>");
  const Reply revoked = anonymous.send(
      "POST", "/services/oauth2/token",
      "grant_type=refresh_token&client_id=crmsync-sandbox&refresh_token=bogus", {kForm});
  EXPECT_EQ(revoked.body,
            R"({"error":"invalid_grant","error_description":"expired access/refresh token"})");
  const Reply bad_password =
      anonymous.send("POST", "/services/oauth2/token",
                     "grant_type=password&client_id=crmsync-sandbox&client_secret=sandbox-secret&"
                     "username=alice.johnson%40acme.example.crm&password=x",
                     {kForm});
  EXPECT_EQ(bad_password.body,
            R"({"error":"invalid_grant","error_description":"authentication failure"})");
}

TEST_F(AuthTest, MissingOrUnknownTokenIsInvalidSession) {
  client_->set_token("");
  const Reply missing = client_->api("GET", std::string(kData) + "/limits");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.body,
            R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
  client_->set_token("00DSB0000000001!forged");
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 401);
}

TEST_F(AuthTest, EveryDataResponseCarriesLimitInfo) {
  const Reply first = client_->api("GET", std::string(kData) + "/limits");
  EXPECT_EQ(first.header("sforce-limit-info"), "api-usage=1/100000");
  EXPECT_EQ(first.json("/DailyApiRequests/Max"), "100000");
  EXPECT_EQ(first.json("/DailyApiRequests/Remaining"), "99999");
  const Reply error =
      client_->api("GET", std::string(kData) + "/sobjects/Contact/003000000000000AAA");
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(error.header("sforce-limit-info"), "api-usage=2/100000");
}

class ShortTokenTest : public SandboxTest {
 protected:
  std::vector<std::string> extra_args() override { return {"--token-ttl", "1"}; }
};

TEST_F(ShortTokenTest, TokensExpireAfterTheConfiguredLifetime) {
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 200);
  // Poll until expiry with a deadline (the TTL is 1 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  long status = 200;
  while (status == 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = client_->api("GET", std::string(kData) + "/limits").status;
  }
  EXPECT_EQ(status, 401);
  client_->set_token(fetch_token());
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 200);
}

class DailyLimitTest : public SandboxTest {
 protected:
  std::vector<std::string> extra_args() override { return {"--daily-limit", "2"}; }
};

TEST_F(DailyLimitTest, ExceedingTheDailyLimitIs403) {
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 200);
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 200);
  const Reply refused = client_->api("GET", std::string(kData) + "/limits");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(
      refused.body,
      R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])");
  EXPECT_EQ(refused.header("sforce-limit-info"), "api-usage=2/2");
}

}  // namespace
}  // namespace sandbox_test
