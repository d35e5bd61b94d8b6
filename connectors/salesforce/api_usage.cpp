#include "connectors/salesforce/api_usage.hpp"

#include <charconv>

namespace crmsync::salesforce {

std::optional<ApiUsage> parse_limit_info(std::string_view header) {
  // "per-app-api-usage=" also contains "api-usage=": find the one not preceded by '-'.
  std::size_t at = 0;
  for (;;) {
    at = header.find("api-usage=", at);
    if (at == std::string_view::npos) return std::nullopt;
    if (at == 0 || header[at - 1] != '-') break;
    at += 1;
  }
  std::string_view rest = header.substr(at + 10);
  ApiUsage usage;
  auto [slash, ec1] = std::from_chars(rest.data(), rest.data() + rest.size(), usage.used);
  if (ec1 != std::errc() || slash == rest.data() + rest.size() || *slash != '/')
    return std::nullopt;
  auto [end, ec2] = std::from_chars(slash + 1, rest.data() + rest.size(), usage.limit);
  if (ec2 != std::errc() || usage.limit <= 0) return std::nullopt;
  return usage;
}

bool within_budget(const ApiUsage& usage, std::int64_t budget_percent) {
  return (usage.used + 1) * 100 <= usage.limit * budget_percent;
}

}  // namespace crmsync::salesforce
