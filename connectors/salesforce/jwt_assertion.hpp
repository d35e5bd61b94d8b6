// connectors/salesforce/jwt_assertion.hpp — the signed JWT of the OAuth 2.0 JWT bearer flow
// (RFC 7523; shared/reference/salesforce-api.md §1.2): RS256 over {iss, sub, aud, exp}.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace crmsync::salesforce {

struct JwtClaims {
  std::string issuer;    // connected app consumer key
  std::string subject;   // username to act as
  std::string audience;  // https://login.salesforce.com, https://test.salesforce.com, ...
  std::chrono::system_clock::time_point issued_at;
  std::chrono::seconds lifetime{180};  // Salesforce asks for an expiry within 3 minutes
};

// header.claims.signature, each base64url without padding. Throws crmsync::Error(config) when
// the key cannot be read as an RSA private key (the message never contains the key).
std::string make_jwt_assertion(const JwtClaims& claims, std::string_view private_key_pem);

std::string base64url(std::string_view bytes);

}  // namespace crmsync::salesforce
