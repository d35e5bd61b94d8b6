#include "salesforce/jwt_bearer.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

namespace sandbox::salesforce {
namespace {

// Salesforce asks for an exp within 3 minutes; it tolerates a few minutes of clock skew.
constexpr std::chrono::seconds kMaxLifetime{300};

OAuthRejection invalid_assertion() {
  return {"invalid_grant", "invalid assertion"};
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string standard(text);
  for (auto& c : standard) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (standard.size() % 4 != 0)
    standard.push_back('=');
  std::string out(3 * standard.size() / 4, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(standard.data()),
                                      static_cast<int>(standard.size()));
  if (written < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(written);
  for (std::size_t i = standard.size(); i > 0 && standard[i - 1] == '='; --i)
    --size;
  out.resize(size);
  return out;
}

bool signature_valid(std::string_view signed_part, const std::string& signature,
                     const std::string& certificate_file) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(certificate_file.c_str(), "rb"),
                                             &std::fclose);
  if (!file) return false;
  std::unique_ptr<X509, void (*)(X509*)> certificate(
      PEM_read_X509(file.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!certificate) return false;
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(X509_get_pubkey(certificate.get()),
                                                     &EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!key || !context) return false;
  if (EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size())
         == 1;
}

// exp is seconds since the epoch, as a number or (Salesforce's own example) a string.
std::optional<std::int64_t> read_exp(simdjson::dom::element claims) {
  simdjson::dom::element exp;
  if (claims["exp"].get(exp) != simdjson::SUCCESS) return std::nullopt;
  if (exp.is_number()) return static_cast<std::int64_t>(exp.get_double().value());
  std::string_view text;
  if (exp.get_string().get(text) != simdjson::SUCCESS || text.empty()) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const long long value = std::strtoll(copy.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return value;
}

bool audience_valid(std::string_view audience, const std::string& instance_url) {
  return audience == "https://login.salesforce.com" || audience == "https://test.salesforce.com"
         || audience == "login.salesforce.com" || audience == "test.salesforce.com"
         || (!instance_url.empty() && audience == instance_url);
}

}  // namespace

std::variant<JwtClaims, OAuthRejection> verify_jwt_assertion(
    std::string_view assertion, const std::string& certificate_file,
    const std::string& instance_url, std::chrono::system_clock::time_point now) {
  const auto first = assertion.find('.');
  const auto second = first == std::string_view::npos ? first : assertion.find('.', first + 1);
  if (second == std::string_view::npos || assertion.find('.', second + 1) != std::string_view::npos)
    return invalid_assertion();
  const auto header = base64url_decode(assertion.substr(0, first));
  const auto payload = base64url_decode(assertion.substr(first + 1, second - first - 1));
  const auto signature = base64url_decode(assertion.substr(second + 1));
  if (!header || !payload || !signature) return invalid_assertion();

  simdjson::dom::parser header_parser;
  std::string_view algorithm;
  if (header_parser.parse(*header)["alg"].get_string().get(algorithm) != simdjson::SUCCESS
      || algorithm != "RS256") {
    return invalid_assertion();
  }
  if (!signature_valid(assertion.substr(0, second), *signature, certificate_file))
    return invalid_assertion();

  simdjson::dom::parser parser;
  simdjson::dom::element claims;
  if (parser.parse(*payload).get(claims) != simdjson::SUCCESS || !claims.is_object())
    return invalid_assertion();
  std::string_view issuer;
  std::string_view subject;
  std::string_view audience;
  if (claims["iss"].get_string().get(issuer) != simdjson::SUCCESS
      || claims["sub"].get_string().get(subject) != simdjson::SUCCESS) {
    return invalid_assertion();
  }
  // aud may be a string or (RFC 7519) an array of strings.
  bool audience_ok = false;
  if (claims["aud"].get_string().get(audience) == simdjson::SUCCESS) {
    audience_ok = audience_valid(audience, instance_url);
  } else if (simdjson::dom::array list; claims["aud"].get_array().get(list) == simdjson::SUCCESS) {
    for (auto item : list) {
      std::string_view value;
      if (item.get_string().get(value) == simdjson::SUCCESS)
        audience_ok = audience_ok || audience_valid(value, instance_url);
    }
  }
  if (!audience_ok) return OAuthRejection{"invalid_grant", "audience is invalid"};
  const auto exp = read_exp(claims);
  const std::int64_t now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (!exp || *exp <= now_seconds || *exp > now_seconds + kMaxLifetime.count())
    return OAuthRejection{"invalid_grant", "expired authorization code"};
  return JwtClaims{std::string(issuer), std::string(subject)};
}

}  // namespace sandbox::salesforce
