// connectors/salesforce/token_provider.hpp — obtains and caches the OAuth 2.0 access token for the
// configured flow (JWT bearer, client credentials, refresh token; reference §1). Salesforce does
// not say when a token expires: it is replaced when the API answers 401 INVALID_SESSION_ID.
#pragma once

#include <optional>
#include <string>

#include "connectors/http/http_client.hpp"
#include "connectors/salesforce/salesforce_settings.hpp"

namespace crmsync::salesforce {

struct AccessToken {
  std::string access_token;
  std::string instance_url;  // where data calls go, as the token endpoint says
};

class TokenProvider {
 public:
  TokenProvider(const SalesforceSettings& settings, http::HttpClient& client)
      : settings_(settings), client_(client) {}

  // The cached token, or a new one. Throws crmsync::Error: auth when the credentials are refused,
  // transient when the token endpoint is unreachable or failing, config for unreadable secrets.
  const AccessToken& token();
  void invalidate() { token_.reset(); }
  int requests() const { return requests_; }

 private:
  AccessToken fetch();

  const SalesforceSettings& settings_;
  http::HttpClient& client_;
  std::optional<AccessToken> token_;
  int requests_ = 0;
};

}  // namespace crmsync::salesforce
