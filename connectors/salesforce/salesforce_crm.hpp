// connectors/salesforce/salesforce_crm.hpp — the Crm interface over Salesforce's REST API:
// describe (cached per run), SOQL with paging, sObject Collections of 200 with per-record
// results. One re-authentication on INVALID_SESSION_ID, then a clear auth error; calls counted by
// kind and checked against crmsync's share of the daily allowance (Sforce-Limit-Info).
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>

#include "connectors/crm.hpp"
#include "connectors/http/http_client.hpp"
#include "connectors/salesforce/api_usage.hpp"
#include "connectors/salesforce/salesforce_settings.hpp"
#include "connectors/salesforce/token_provider.hpp"

namespace crmsync::salesforce {

class SalesforceCrm final : public Crm {
 public:
  explicit SalesforceCrm(SalesforceSettings settings, http::HttpClient::Sleeper sleeper = {});

  CrmSchema describe(std::string_view object) override;
  std::size_t query(const CrmQuery& query,
                    const std::function<void(const CrmValues&)>& out) override;
  // Up to five query pages per call through the Composite resource, which counts as one call.
  void query_together(std::span<const CrmQuery> queries,
                      const std::function<void(std::size_t, const CrmValues&)>& out) override;
  std::vector<CrmOperationResult> apply(std::span<const CrmOperation> operations) override;
  std::vector<CrmOperationResult> apply_gated(std::span<const CrmOperation> operations,
                                              const std::function<void()>& before_writing) override;
  CrmUsage usage() const override;
  std::size_t bulk_threshold() const override {
    return static_cast<std::size_t>(settings_.bulk_threshold);
  }

  // Sends an authenticated request to a path under the instance ("/services/data/..."),
  // re-authenticating once on INVALID_SESSION_ID. `kind` names the call in usage().
  http::Response call(const std::string& method, const std::string& path, std::string body,
                      const std::string& kind, bool idempotent, http::Headers extra_headers = {});

  std::string data_path(std::string_view rest) const;  // "/services/data/v66.0/" + rest

 private:
  std::vector<CrmOperationResult> apply_batch(std::span<const CrmOperation> batch,
                                              const std::function<void()>& before_writing);
  // One Bulk API 2.0 ingest job for operations of one kind and object (salesforce_bulk.cpp).
  std::vector<CrmOperationResult> apply_bulk(std::span<const CrmOperation> group,
                                             const std::function<void()>& before_writing);
  // One Bulk API 2.0 query job, results paged by Sforce-Locator (salesforce_bulk_query.cpp).
  std::size_t query_bulk(const std::string& soql, bool include_deleted,
                         const std::function<void(const CrmValues&)>& out);

  // The SOQL statements of one query (IN lists split to keep URLs short), and where they go.
  std::vector<std::string> query_statements(const CrmQuery& query) const;
  std::string query_endpoint(const CrmQuery& query) const;

  SalesforceSettings settings_;
  http::HttpClient client_;
  TokenProvider tokens_;
  std::map<std::string, CrmSchema, std::less<>> schemas_;
  std::map<std::string, int> calls_;
  std::optional<ApiUsage> last_usage_;
};

}  // namespace crmsync::salesforce
