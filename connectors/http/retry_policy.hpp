// connectors/http/retry_policy.hpp — when a failed request is tried again and how long to wait.
// Only requests that are safe to repeat are retried: idempotent ones (GET, PUT, DELETE, PATCH with
// an external-id key), ones carrying an idempotency key, and any request that never reached the
// server (the connection could not be opened). Waits grow exponentially with full jitter and
// honour Retry-After.
#pragma once

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

#include "core/error.hpp"

namespace crmsync::http {

struct RetrySettings {
  int max_attempts = 5;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
};

// What went wrong with one attempt.
struct AttemptFailure {
  ErrorCategory category = ErrorCategory::transient;
  bool reached_server = true;  // false: nothing was sent, so any request may be retried
  std::optional<std::chrono::milliseconds> retry_after;  // from the response, when it said
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetrySettings settings, std::uint64_t seed = std::random_device{}())
      : settings_(settings), random_(seed) {}

  // The wait before attempt `attempt + 1` (attempts count from 1), or nullopt to give up.
  std::optional<std::chrono::milliseconds> delay_before_retry(int attempt, bool safe_to_repeat,
                                                              const AttemptFailure& failure);

  const RetrySettings& settings() const { return settings_; }

 private:
  RetrySettings settings_;
  std::mt19937_64 random_;
};

// The category of an HTTP status: 406/408/420/429/5xx transient, 401 auth, other 4xx permanent.
ErrorCategory category_of_status(long status);

// Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), relative to `now`.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace crmsync::http
