// The OAuth JWT bearer assertion check (reference §1.2): RS256 signature verified with OpenSSL
// against the connected app's certificate, then iss, aud, exp and sub. Rejections carry the
// error bodies the real token endpoint sends ("invalid assertion", "audience is invalid",
// "expired authorization code").
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <variant>

namespace sandbox::salesforce {

struct JwtClaims {
  std::string issuer;   // the connected app's consumer key
  std::string subject;  // the username to act as
};

struct OAuthRejection {
  std::string error;
  std::string description;
};

// Verifies the assertion's signature against the PEM certificate in `certificate_file` and its
// time and audience claims. `instance_url` is accepted as an audience besides the login hosts.
std::variant<JwtClaims, OAuthRejection> verify_jwt_assertion(
    std::string_view assertion, const std::string& certificate_file,
    const std::string& instance_url, std::chrono::system_clock::time_point now);

}  // namespace sandbox::salesforce
