#include "connectors/salesforce/salesforce_crm.hpp"

#include <simdjson.h>
#include <strings.h>

#include <algorithm>

#include "connectors/salesforce/api_error.hpp"
#include "core/error.hpp"

namespace crmsync::salesforce {
namespace {

http::ClientSettings client_settings(const SalesforceSettings& settings) {
  http::ClientSettings client;
  client.connect_timeout = settings.connect_timeout;
  client.request_timeout = settings.request_timeout;
  client.ca_file = settings.ca_file.string();
  client.proxy = settings.proxy;
  client.user_agent = "crmsync";
  return client;
}

bool as_bool(simdjson::dom::element element) {
  bool value = false;
  return element.get_bool().get(value) == simdjson::SUCCESS && value;
}

std::string as_string(simdjson::dom::element element) {
  std::string_view value;
  return element.get_string().get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
}

}  // namespace

SalesforceCrm::SalesforceCrm(SalesforceSettings settings, http::HttpClient::Sleeper sleeper)
    : settings_(std::move(settings)),
      client_(client_settings(settings_), std::move(sleeper)),
      tokens_(settings_, client_) {}

std::string SalesforceCrm::data_path(std::string_view rest) const {
  return "/services/data/v" + settings_.api_version + "/" + std::string(rest);
}

http::Response SalesforceCrm::call(const std::string& method, const std::string& path,
                                   std::string body, const std::string& kind, bool idempotent,
                                   http::Headers extra_headers) {
  if (last_usage_ && !within_budget(*last_usage_, settings_.daily_budget_percent))
    throw Error(ErrorCategory::transient,
                "crmsync's share (" + std::to_string(settings_.daily_budget_percent)
                    + "%) of the org's daily API allowance is spent ("
                    + std::to_string(last_usage_->used) + " of "
                    + std::to_string(last_usage_->limit) + " calls); writing resumes tomorrow");
  for (int attempt = 1;; ++attempt) {
    const auto before = tokens_.requests();
    const auto& token = tokens_.token();
    calls_["token"] += tokens_.requests() - before;
    http::Request request{
        method,
        token.instance_url + path,
        {{"Authorization", "Bearer " + token.access_token}, {"Accept", "application/json"}},
        body,
        idempotent};
    if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    // A caller's header replaces the default of the same name (text/csv for Bulk uploads).
    for (auto& header : extra_headers) {
      auto same = std::find_if(request.headers.begin(), request.headers.end(), [&](const auto& h) {
        return strcasecmp(h.first.c_str(), header.first.c_str()) == 0;
      });
      if (same != request.headers.end())
        same->second = header.second;
      else
        request.headers.push_back(header);
    }
    auto response = client_.send(request);
    calls_[kind] += response.attempts;
    if (auto limit = response.header("Sforce-Limit-Info"))
      if (auto usage = parse_limit_info(*limit)) last_usage_ = usage;
    if (response.status == 401 && attempt == 1) {
      // The session expired (or was revoked): one new token, one replay.
      tokens_.invalidate();
      continue;
    }
    if (response.status == 401)
      throw Error(ErrorCategory::auth, "Salesforce rejected a fresh session (INVALID_SESSION_ID)");
    if (response.status == 403) {
      const auto error = parse_error_body(response.body).front();
      if (error.code == "REQUEST_LIMIT_EXCEEDED")
        throw Error(ErrorCategory::transient,
                    "Salesforce's API allowance is exhausted (" + error.message + ")");
    }
    return response;
  }
}

CrmSchema SalesforceCrm::describe(std::string_view object) {
  if (auto cached = schemas_.find(object); cached != schemas_.end()) return cached->second;
  const auto response =
      call("GET", data_path("sobjects/" + std::string(object) + "/describe"), "", "describe", true);
  if (response.status != 200) {
    const auto error = parse_error_body(response.body).front();
    throw Error(response.status == 404 || error.code == "NOT_FOUND" ? ErrorCategory::config
                                                                    : ErrorCategory::permanent,
                "describe " + std::string(object) + ": " + error.code + ": " + error.message);
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS)
    throw Error(ErrorCategory::transient, "describe " + std::string(object) + ": invalid JSON");
  CrmSchema schema;
  schema.object = as_string(root["name"]);
  schema.key_prefix = as_string(root["keyPrefix"]);
  simdjson::dom::array fields;
  if (root["fields"].get_array().get(fields) == simdjson::SUCCESS) {
    for (auto field : fields) {
      CrmFieldInfo info;
      info.name = as_string(field["name"]);
      info.label = as_string(field["label"]);
      info.type = as_string(field["type"]);
      std::int64_t length = 0;
      if (field["length"].get_int64().get(length) == simdjson::SUCCESS)
        info.length = static_cast<std::uint32_t>(length);
      info.nillable = as_bool(field["nillable"]);
      info.createable = as_bool(field["createable"]);
      info.updateable = as_bool(field["updateable"]);
      info.defaulted_on_create = as_bool(field["defaultedOnCreate"]);
      info.external_id = as_bool(field["externalId"]);
      info.unique = as_bool(field["unique"]);
      info.id_lookup = as_bool(field["idLookup"]);
      info.restricted_picklist = as_bool(field["restrictedPicklist"]);
      simdjson::dom::array values;
      if (field["picklistValues"].get_array().get(values) == simdjson::SUCCESS)
        for (auto value : values)
          if (as_bool(value["active"])) info.picklist_values.push_back(as_string(value["value"]));
      if (field["referenceTo"].get_array().get(values) == simdjson::SUCCESS)
        for (auto value : values)
          info.reference_to.push_back(as_string(value));
      schema.fields.push_back(std::move(info));
    }
  }
  schemas_.emplace(std::string(object), schema);
  return schema;
}

CrmUsage SalesforceCrm::usage() const {
  CrmUsage usage;
  usage.calls = calls_;
  if (last_usage_) {
    usage.used = last_usage_->used;
    usage.limit = last_usage_->limit;
  }
  return usage;
}

}  // namespace crmsync::salesforce
