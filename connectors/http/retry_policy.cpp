#include "connectors/http/retry_policy.hpp"

#include <charconv>
#include <ctime>
#include <string>

namespace crmsync::http {

std::optional<std::chrono::milliseconds> RetryPolicy::delay_before_retry(
    int attempt, bool safe_to_repeat, const AttemptFailure& failure) {
  if (attempt >= settings_.max_attempts) return std::nullopt;
  if (failure.category != ErrorCategory::transient) return std::nullopt;
  if (!safe_to_repeat && failure.reached_server) return std::nullopt;
  if (failure.retry_after) return std::min(*failure.retry_after, settings_.max_delay * 10);
  // Full jitter (AWS architecture blog): uniform in [0, min(max, base * 2^(attempt-1))], so many
  // clients recovering from one outage do not retry in step.
  const auto ceiling = std::min<std::int64_t>(
      settings_.max_delay.count(), settings_.base_delay.count() << std::min(attempt - 1, 20));
  std::uniform_int_distribution<std::int64_t> pick(0, ceiling);
  return std::chrono::milliseconds(pick(random_));
}

ErrorCategory category_of_status(long status) {
  // 420 is Salesforce's edge "method failure" and 406 an edge hiccup; the reference clients
  // retry both (shared/reference/salesforce-api.md §7.4).
  if (status == 406 || status == 408 || status == 420 || status == 429 || status >= 500)
    return ErrorCategory::transient;
  if (status == 401) return ErrorCategory::auth;
  return ErrorCategory::permanent;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && ptr == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::seconds(std::min<std::int64_t>(seconds, 86'400));
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  std::tm tm{};
  const std::string text(value);
  if (strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr) return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (at <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

}  // namespace crmsync::http
