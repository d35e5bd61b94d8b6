// POST /services/oauth2/token (reference §1): client_credentials (the fixed sandbox client), JWT
// bearer (signed with tests/sandbox/jwt-test.key), password + refresh_token for clients that
// need a refresh flow. Errors are the OAuth object
// {"error","error_description"} with HTTP 400.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>

#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"
#include "salesforce/jwt_bearer.hpp"

namespace sandbox::salesforce {
namespace {

constexpr std::string_view kClientId = "crmsync-sandbox";
constexpr std::string_view kClientSecret = "sandbox-secret";
constexpr std::string_view kUserPassword = "sandbox-password";

http::Response oauth_error(std::string_view code, std::string_view description) {
  json::Writer out;
  out.begin_object().field("error", code).field("error_description", description).end_object();
  return http::Response::json(400, out.take());
}

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  std::size_t size = static_cast<std::size_t>(written);
  // EVP_DecodeBlock counts the '=' padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
    --size;
  out.resize(size);
  return out;
}

// Base64 HMAC-SHA256 over id + issued_at keyed with the client secret (reference §1.6).
std::string signature(const std::string& identity, const std::string& issued_at) {
  const std::string data = identity + issued_at;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kClientSecret.data(), static_cast<int>(kClientSecret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return base64(digest, length);
}

http::Response issue_token(Org& org, const std::string& user_id, bool with_refresh_token) {
  const std::string token = org.org_id() + "!" + org.new_secret(96);
  org.sessions[token] = Session{std::chrono::steady_clock::now() + org.options.token_ttl, user_id};
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::string issued_at = std::to_string(now_ms);
  const std::string identity =
      "https://login.salesforce.com/id/" + to_id18(org.org_id()) + "/" + user_id;
  json::Writer out;
  out.begin_object();
  out.field("access_token", token);
  if (with_refresh_token) {
    const std::string refresh = "5Aep" + org.new_secret(83);
    org.refresh_tokens[refresh] = user_id;
    out.field("refresh_token", refresh);
  }
  out.field("signature", signature(identity, issued_at));
  out.field("scope", with_refresh_token ? "api refresh_token" : "api");
  out.field("instance_url", org.options.instance_url);
  out.field("id", identity);
  out.field("token_type", "Bearer");
  out.field("issued_at", issued_at);
  out.end_object();
  return http::Response::json(200, out.take());
}

std::optional<std::string> find_user_by_username(Org& org, const std::string& username) {
  for (const Record* user : org.store.records_of(*org.schema.find("User"))) {
    const Value* value = user->get("Username");
    if (!user->deleted && value != nullptr && std::holds_alternative<std::string>(*value)
        && lower(std::get<std::string>(*value)) == lower(username)) {
      return user->id;
    }
  }
  return std::nullopt;
}

}  // namespace

http::Response handle_token(Org& org, const http::Request& request) {
  if (request.method != "POST") {
    return error_response(405, "METHOD_NOT_ALLOWED",
                          "HTTP Method '" + request.method + "' not allowed. Allowed are POST");
  }
  http::NameValues params = http::parse_query_string(request.body);
  params.insert(params.end(), request.query.begin(), request.query.end());
  const auto param = [&](std::string_view name) -> std::string {
    for (const auto& [key, value] : params) {
      if (key == name) return value;
    }
    return "";
  };
  const std::string grant = param("grant_type");
  std::string client_id = param("client_id");
  std::string client_secret = param("client_secret");
  if (const auto authorization = request.header("authorization");
      authorization && authorization->starts_with("Basic ")) {
    if (const auto decoded = base64_decode(authorization->substr(6))) {
      const auto colon = decoded->find(':');
      client_id = decoded->substr(0, colon);
      client_secret = colon == std::string::npos ? "" : decoded->substr(colon + 1);
    }
  }
  if (grant == "client_credentials") {
    const auto host = request.header("host").value_or("");
    if (host.find("login.salesforce.com") != std::string_view::npos
        || host.find("test.salesforce.com") != std::string_view::npos) {
      return oauth_error("invalid_grant", "request not supported on this domain");
    }
    if (client_id != kClientId)
      return oauth_error("invalid_client_id", "client identifier invalid");
    if (client_secret != kClientSecret)
      return oauth_error("invalid_client", "invalid client credentials");
    return issue_token(org, org.integration_user_id, false);
  }
  if (grant == "password") {
    if (client_id != kClientId)
      return oauth_error("invalid_client_id", "client identifier invalid");
    if (client_secret != kClientSecret)
      return oauth_error("invalid_client", "invalid client credentials");
    const auto user = find_user_by_username(org, param("username"));
    if (!user || param("password") != kUserPassword)
      return oauth_error("invalid_grant", "authentication failure");
    return issue_token(org, *user, true);
  }
  if (grant == "refresh_token") {
    if (client_id != kClientId)
      return oauth_error("invalid_client_id", "client identifier invalid");
    const auto it = org.refresh_tokens.find(param("refresh_token"));
    if (it == org.refresh_tokens.end())
      return oauth_error("invalid_grant", "expired access/refresh token");
    return issue_token(org, it->second, false);
  }
  if (grant == "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    const auto verdict =
        verify_jwt_assertion(param("assertion"), org.options.jwt_certificate_file,
                             org.options.instance_url, std::chrono::system_clock::now());
    if (const auto* rejection = std::get_if<OAuthRejection>(&verdict))
      return oauth_error(rejection->error, rejection->description);
    const auto& claims = std::get<JwtClaims>(verdict);
    if (claims.issuer != kClientId)
      return oauth_error("invalid_client_id", "client identifier invalid");
    const auto user = find_user_by_username(org, claims.subject);
    if (!user) return oauth_error("invalid_grant", "user hasn't approved this consumer");
    return issue_token(org, *user, false);
  }
  return oauth_error("unsupported_grant_type", "grant type not supported");
}

}  // namespace sandbox::salesforce
