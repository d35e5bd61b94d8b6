#include "connectors/salesforce/salesforce_settings.hpp"

#include <charconv>

namespace crmsync::salesforce {
namespace {

using namespace std::chrono_literals;
using settings::Option;
using settings::ParseContext;
using settings::Spec;

void check_auth(const AuthSettings& auth, const YAML::Node& node, ParseContext& ctx) {
  // A key that is present but was refused (a secret literal) already has its own error.
  auto require = [&](bool present, const char* key, const char* flow) {
    if (!present && !node[key].IsDefined())
      ctx.error(node, std::string("auth flow '") + flow + "' needs '" + key + "'",
                std::string("add '") + key + ":' to the auth section");
  };
  switch (auth.flow) {
    case AuthFlow::jwt_bearer:
      require(!auth.username.empty(), "username", "jwt_bearer");
      require(!auth.private_key.empty(), "private_key", "jwt_bearer");
      break;
    case AuthFlow::client_credentials:
      require(!auth.client_secret.empty(), "client_secret", "client_credentials");
      break;
    case AuthFlow::refresh_token:
      require(!auth.refresh_token.empty(), "refresh_token", "refresh_token");
      break;
  }
}

const Spec<AuthSettings>& auth_spec() {
  static const Spec<AuthSettings> spec{
      "auth",
      "How crmsync signs in to Salesforce (OAuth 2.0). Secrets are read from files, systemd "
      "credentials or the environment, never written here.",
      {
          settings::choice_option<AuthSettings, AuthFlow>(
              "flow", &AuthSettings::flow, "the OAuth 2.0 flow",
              {{"jwt_bearer", AuthFlow::jwt_bearer},
               {"client_credentials", AuthFlow::client_credentials},
               {"refresh_token", AuthFlow::refresh_token}}),
          settings::string_option("client_id", &AuthSettings::client_id,
                                  "consumer key of the connected app"),
          settings::string_option("username", &AuthSettings::username,
                                  "integration user (jwt_bearer)", std::string()),
          settings::url_option("login_url", &AuthSettings::login_url,
                               "token host and JWT audience (test.salesforce.com for sandboxes)",
                               std::string("https://login.salesforce.com")),
          settings::secret_option("private_key", &AuthSettings::private_key,
                                  "PEM private key that signs the JWT (jwt_bearer)"),
          settings::secret_option("client_secret", &AuthSettings::client_secret,
                                  "consumer secret (client_credentials, refresh_token)"),
          settings::secret_option("refresh_token", &AuthSettings::refresh_token,
                                  "refresh token (refresh_token)"),
      },
      check_auth};
  return spec;
}

// "66.0": the REST path segment is v<major>.0.
Option<SalesforceSettings> api_version_option() {
  auto option =
      settings::string_option("api_version", &SalesforceSettings::api_version,
                              "REST API version, as in /services/data/v66.0", std::string("66.0"));
  option.parse = [](SalesforceSettings& out, const YAML::Node& node, ParseContext& ctx) {
    auto text = settings::read_string(node, "api_version", ctx);
    if (!text) return;
    int major = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, major);
    if (ec != std::errc() || std::string_view(ptr, static_cast<std::size_t>(end - ptr)) != ".0"
        || major < 31) {
      ctx.error(node, "'api_version' must look like 66.0 (31.0 or later), got '" + *text + "'",
                "quote it so YAML keeps the '.0': api_version: \"66.0\"");
      return;
    }
    out.api_version = *text;
  };
  return option;
}

}  // namespace

const Spec<SalesforceSettings>& salesforce_settings_spec() {
  static const Spec<SalesforceSettings> spec{
      "crm (salesforce)",
      "Salesforce through its REST, sObject Collections and Bulk API 2.0 interfaces.",
      {
          settings::url_option("instance_url", &SalesforceSettings::instance_url,
                               "the org's My Domain URL, e.g. https://acme.my.salesforce.com"),
          api_version_option(),
          settings::section_option("auth", &SalesforceSettings::auth, auth_spec(),
                                   "sign-in settings", true),
          settings::path_option("ca_file", &SalesforceSettings::ca_file,
                                "CA bundle to verify TLS with (default: the system's)",
                                std::string()),
          settings::string_option("proxy", &SalesforceSettings::proxy,
                                  "HTTP(S) proxy URL (default: $HTTPS_PROXY / $NO_PROXY)",
                                  std::string()),
          settings::duration_option("connect_timeout", &SalesforceSettings::connect_timeout,
                                    "time allowed to open a connection", "10s", 1s, 5min),
          settings::duration_option("request_timeout", &SalesforceSettings::request_timeout,
                                    "time allowed for one request and its response", "120s", 1s,
                                    1h),
          settings::integer_option(
              "daily_budget_percent", &SalesforceSettings::daily_budget_percent,
              "share of the org's daily API allowance crmsync may spend", 50, {1, 100}),
          settings::integer_option("bulk_threshold", &SalesforceSettings::bulk_threshold,
                                   "records in one cycle above which writes use Bulk API 2.0", 2000,
                                   {200, 150'000'000}),
          settings::integer_option(
              "bulk_query_threshold", &SalesforceSettings::bulk_query_threshold,
              "records in one read (a first index load) above which it runs as a Bulk API 2.0 "
              "query job instead of REST pages of 2000",
              100'000, {100, 1'000'000'000}),
      }};
  return spec;
}

}  // namespace crmsync::salesforce
