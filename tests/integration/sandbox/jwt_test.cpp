// OAuth JWT bearer flow (reference §1.2), signed with the committed test key
// tests/sandbox/jwt-test.key.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

std::string base64url(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(data.data()),
                                      static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(written));
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  for (auto& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string sign(const std::string& claims_json, const std::string& key_file) {
  const std::string signed_part =
      base64url(R"({"alg":"RS256","typ":"JWT"})") + "." + base64url(claims_json);
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(key_file.c_str(), "rb"), &std::fclose);
  if (!file) return "";
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(
      PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t length = 0;
  EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get());
  EVP_DigestSign(context.get(), nullptr, &length,
                 reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
  signature.resize(length);
  return signed_part + "." + base64url(signature);
}

class JwtTest : public SandboxTest {
 protected:
  static std::string key_file() {
    return std::string(CRMSYNC_SOURCE_DIR) + "/tests/sandbox/jwt-test.key";
  }
  static long long now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static std::string claims(const std::string& iss, const std::string& sub, const std::string& aud,
                            long long exp) {
    return R"({"iss":")" + iss + R"(","sub":")" + sub + R"(","aud":")" + aud + R"(","exp":)"
           + std::to_string(exp) + "}";
  }
  Reply exchange(const std::string& assertion) {
    HttpClient anonymous(sandbox_->url());
    return anonymous.send("POST", "/services/oauth2/token",
                          "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                          "&assertion="
                              + assertion,
                          {"Content-Type: application/x-www-form-urlencoded"});
  }
  const std::string user_ = "integration@crmsync-sandbox.example";
};

TEST_F(JwtTest, ASignedAssertionGetsAWorkingToken) {
  const Reply reply = exchange(sign(
      claims("crmsync-sandbox", user_, "https://login.salesforce.com", now() + 180), key_file()));
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json("/token_type"), "Bearer");
  EXPECT_EQ(reply.json("/refresh_token"), "<missing>");
  EXPECT_EQ(reply.json("/instance_url"), sandbox_->url());
  client_->set_token(reply.json("/access_token"));
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 200);
}

TEST_F(JwtTest, StringExpAndTestAudienceAreAccepted) {
  const std::string body = R"({"iss":"crmsync-sandbox","sub":")" + user_
                           + R"(","aud":"https://test.salesforce.com","exp":")"
                           + std::to_string(now() + 120) + R"("})";
  EXPECT_EQ(exchange(sign(body, key_file())).status, 200);
}

TEST_F(JwtTest, RejectionsCarryTheRealBodies) {
  const auto expect_error = [this](const std::string& assertion, const std::string& error,
                                   const std::string& description) {
    const Reply reply = exchange(assertion);
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(reply.body,
              R"({"error":")" + error + R"(","error_description":")" + description + R"("})");
  };
  expect_error(
      sign(claims("crmsync-sandbox", user_, "https://example.com", now() + 120), key_file()),
      "invalid_grant", "audience is invalid");
  expect_error(sign(claims("crmsync-sandbox", user_, "https://login.salesforce.com", now() - 10),
                    key_file()),
               "invalid_grant", "expired authorization code");
  std::string tampered = sign(
      claims("crmsync-sandbox", user_, "https://login.salesforce.com", now() + 120), key_file());
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  expect_error(tampered, "invalid_grant", "invalid assertion");
  expect_error("not.a.jwt", "invalid_grant", "invalid assertion");
  expect_error(
      sign(claims("someone-else", user_, "https://login.salesforce.com", now() + 120), key_file()),
      "invalid_client_id", "client identifier invalid");
  expect_error(sign(claims("crmsync-sandbox", "nobody@example.com", "https://login.salesforce.com",
                           now() + 120),
                    key_file()),
               "invalid_grant", "user hasn't approved this consumer");
}

}  // namespace
}  // namespace sandbox_test
