// connectors/salesforce/api_usage.hpp — the org's daily API allowance as the Sforce-Limit-Info
// header reports it on every response ("api-usage=18/5000; per-app-api-usage=17/250(appName=x)").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace crmsync::salesforce {

struct ApiUsage {
  std::int64_t used = 0;
  std::int64_t limit = 0;
};

std::optional<ApiUsage> parse_limit_info(std::string_view header);

// Whether one more call fits in crmsync's share (`budget_percent` of the limit).
bool within_budget(const ApiUsage& usage, std::int64_t budget_percent);

}  // namespace crmsync::salesforce
