#include "connectors/salesforce/token_provider.hpp"

#include <simdjson.h>

#include "connectors/salesforce/api_error.hpp"
#include "connectors/salesforce/jwt_assertion.hpp"
#include "connectors/salesforce/soql_text.hpp"
#include "core/error.hpp"
#include "core/logging/redaction.hpp"
#include "core/secrets/secret_ref.hpp"

namespace crmsync::salesforce {

const AccessToken& TokenProvider::token() {
  if (!token_) token_ = fetch();
  return *token_;
}

AccessToken TokenProvider::fetch() {
  const auto& auth = settings_.auth;
  std::string host;
  std::string body;
  switch (auth.flow) {
    case AuthFlow::jwt_bearer: {
      const auto key = resolve_secret(auth.private_key);
      const JwtClaims claims{auth.client_id, auth.username, auth.login_url,
                             std::chrono::system_clock::now(), std::chrono::seconds(180)};
      host = auth.login_url;
      body = "grant_type=" + url_encode("urn:ietf:params:oauth:grant-type:jwt-bearer")
             + "&assertion=" + make_jwt_assertion(claims, key);
      break;
    }
    case AuthFlow::client_credentials:
      // Client credentials must go to the org's own My Domain host (reference §1.3).
      host = settings_.instance_url;
      body = "grant_type=client_credentials&client_id=" + url_encode(auth.client_id)
             + "&client_secret=" + url_encode(resolve_secret(auth.client_secret));
      break;
    case AuthFlow::refresh_token:
      host = settings_.instance_url;
      body =
          "grant_type=refresh_token&refresh_token=" + url_encode(resolve_secret(auth.refresh_token))
          + "&client_id=" + url_encode(auth.client_id);
      if (!auth.client_secret.empty())
        body += "&client_secret=" + url_encode(resolve_secret(auth.client_secret));
      break;
  }
  while (!host.empty() && host.back() == '/')
    host.pop_back();

  ++requests_;
  http::Request request{
      "POST",
      host + "/services/oauth2/token",
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}},
      body,
      false};
  // The token request creates nothing: repeating it is safe.
  request.idempotent = true;
  const auto response = client_.send(request);
  if (response.status >= 500)
    throw Error(ErrorCategory::transient,
                "Salesforce token endpoint answered " + std::to_string(response.status));
  if (response.status != 200) {
    const auto error = parse_error_body(response.body).front();
    throw Error(ErrorCategory::auth, "Salesforce refused the credentials (" + error.code + ": "
                                         + redact(error.message) + ")");
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view access_token;
  std::string_view instance_url;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS
      || root["access_token"].get_string().get(access_token) != simdjson::SUCCESS)
    throw Error(ErrorCategory::auth, "the Salesforce token response has no access_token");
  register_secret_value(access_token);
  AccessToken token;
  token.access_token = std::string(access_token);
  token.instance_url = root["instance_url"].get_string().get(instance_url) == simdjson::SUCCESS
                           ? std::string(instance_url)
                           : settings_.instance_url;
  while (!token.instance_url.empty() && token.instance_url.back() == '/')
    token.instance_url.pop_back();
  return token;
}

}  // namespace crmsync::salesforce
