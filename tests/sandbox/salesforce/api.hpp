// The Salesforce part of the sandbox: routes /services/oauth2/token, /services/data/... and the
// /__sandbox/ test hooks to the handlers, checks sessions, counts calls and adds
// Sforce-Limit-Info. Thread-safe: one mutex around the org.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "http/message.hpp"
#include "salesforce/org.hpp"

namespace sandbox::salesforce {

class SalesforceApi {
 public:
  SalesforceApi(Schema schema, OrgOptions options, std::optional<std::string> seed_dir);

  // True when the path belongs to this API (so the HTTP core can route other APIs elsewhere).
  [[nodiscard]] static bool owns(const std::string& path);
  http::Response handle(const http::Request& request);
  void set_instance_url(const std::string& url);
  void configure_faults(const FaultSpec& spec);
  void configure_duplicate_rule(const DuplicateRule& rule);

 private:
  http::Response route_data(const http::Request& request);
  http::Response route_hooks(const http::Request& request);

  Org org_;
  std::optional<std::string> seed_dir_;
};

}  // namespace sandbox::salesforce
