// connectors/salesforce/salesforce_settings.hpp — the `crm:` section when `type: salesforce`.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "connectors/settings_base.hpp"
#include "core/secrets/secret_ref.hpp"
#include "core/settings/spec.hpp"

namespace crmsync::salesforce {

enum class AuthFlow { jwt_bearer, client_credentials, refresh_token };

struct AuthSettings {
  AuthFlow flow{};
  std::string client_id;
  std::string username;     // jwt_bearer: the integration user
  std::string login_url;    // jwt_bearer audience and token host
  SecretRef private_key;    // jwt_bearer
  SecretRef client_secret;  // client_credentials, refresh_token
  SecretRef refresh_token;  // refresh_token
};

struct SalesforceSettings final : CrmSettings {
  std::string instance_url;
  std::string api_version;
  AuthSettings auth;
  std::filesystem::path ca_file;
  std::string proxy;
  std::chrono::milliseconds connect_timeout{};
  std::chrono::milliseconds request_timeout{};
  std::int64_t daily_budget_percent = 0;
  std::int64_t bulk_threshold = 0;
  std::int64_t bulk_query_threshold = 0;
};

const settings::Spec<SalesforceSettings>& salesforce_settings_spec();

}  // namespace crmsync::salesforce
