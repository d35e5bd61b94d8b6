// The JWT is checked the way Salesforce checks it: split, decode, verify RS256 with the public key.
#include "connectors/salesforce/jwt_assertion.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "core/error.hpp"

namespace crmsync::salesforce {
namespace {

std::string base64url_decode(std::string_view text) {
  std::string standard(text);
  for (auto& c : standard)
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (standard.size() % 4 != 0)
    standard += '=';
  std::string out(standard.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(standard.data()),
                                static_cast<int>(standard.size()));
  out.resize(static_cast<std::size_t>(n) - (standard.size() - text.size()));
  return out;
}

TEST(Base64Url, RfcVectorsWithoutPadding) {
  EXPECT_EQ(base64url(""), "");
  EXPECT_EQ(base64url("f"), "Zg");
  EXPECT_EQ(base64url("fo"), "Zm8");
  EXPECT_EQ(base64url("foo"), "Zm9v");
  EXPECT_EQ(base64url("\xfb\xff"), "-_8");
}

TEST(JwtAssertion, SignedWithRs256AndVerifiableWithThePublicKey) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  ASSERT_TRUE(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  const std::string pem(data, static_cast<std::size_t>(size));

  JwtClaims claims{"3MVG9client", "integration@acme.example", "https://login.salesforce.com",
                   std::chrono::system_clock::from_time_t(1700000000), std::chrono::seconds(180)};
  const auto jwt = make_jwt_assertion(claims, pem);
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(base64url_decode(jwt.substr(0, first)), R"({"alg":"RS256","typ":"JWT"})");
  EXPECT_EQ(
      base64url_decode(jwt.substr(first + 1, second - first - 1)),
      R"({"iss":"3MVG9client","sub":"integration@acme.example","aud":"https://login.salesforce.com","iat":1700000000,"exp":1700000180})");

  const std::string signed_part = jwt.substr(0, second);
  const std::string signature = base64url_decode(jwt.substr(second + 1));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> verify(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  ASSERT_EQ(EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
  EXPECT_EQ(
      EVP_DigestVerify(verify.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                       signed_part.size()),
      1);
}

TEST(JwtAssertion, BadKeyIsAConfigErrorThatDoesNotEchoTheKey) {
  try {
    make_jwt_assertion(
        {}, "-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETSTUFF\n-----END PRIVATE KEY-----");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::config);
    EXPECT_EQ(std::string(e.what()).find("SECRETSTUFF"), std::string::npos);
  }
}

}  // namespace
}  // namespace crmsync::salesforce
