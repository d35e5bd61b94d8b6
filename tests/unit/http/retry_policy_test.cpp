#include "connectors/http/retry_policy.hpp"

#include <gtest/gtest.h>

#include "connectors/http/rate_limiter.hpp"

namespace crmsync::http {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicy, OnlyTransientFailuresOfRepeatableRequests) {
  RetryPolicy policy({5, 500ms, 30s}, 7);
  AttemptFailure transient{ErrorCategory::transient, true, std::nullopt};
  EXPECT_TRUE(policy.delay_before_retry(1, true, transient));
  EXPECT_FALSE(policy.delay_before_retry(1, false, transient)) << "a create may have landed";
  AttemptFailure not_sent{ErrorCategory::transient, false, std::nullopt};
  EXPECT_TRUE(policy.delay_before_retry(1, false, not_sent)) << "nothing reached the server";
  EXPECT_FALSE(policy.delay_before_retry(1, true, {ErrorCategory::auth, true, std::nullopt}));
  EXPECT_FALSE(policy.delay_before_retry(1, true, {ErrorCategory::permanent, true, std::nullopt}));
  EXPECT_FALSE(policy.delay_before_retry(5, true, transient)) << "attempts are capped";
}

TEST(RetryPolicy, ExponentialWithFullJitterAndRetryAfter) {
  RetryPolicy policy({10, 100ms, 2s}, 42);
  AttemptFailure failure{ErrorCategory::transient, true, std::nullopt};
  for (int attempt = 1; attempt < 10; ++attempt) {
    const auto delay = policy.delay_before_retry(attempt, true, failure);
    ASSERT_TRUE(delay);
    EXPECT_LE(*delay, std::min<std::chrono::milliseconds>(2s, 100ms * (1 << (attempt - 1))));
  }
  failure.retry_after = 7s;
  EXPECT_EQ(policy.delay_before_retry(1, true, failure), 7s);
}

TEST(RetryPolicy, StatusCategories) {
  EXPECT_EQ(category_of_status(429), ErrorCategory::transient);
  EXPECT_EQ(category_of_status(503), ErrorCategory::transient);
  EXPECT_EQ(category_of_status(420), ErrorCategory::transient);
  EXPECT_EQ(category_of_status(401), ErrorCategory::auth);
  EXPECT_EQ(category_of_status(400), ErrorCategory::permanent);
  EXPECT_EQ(category_of_status(404), ErrorCategory::permanent);
}

TEST(RetryAfter, SecondsAndHttpDates) {
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // 06 Nov 1994 08:49:37
  EXPECT_EQ(parse_retry_after("120", now), 120s);
  EXPECT_EQ(parse_retry_after(" 3 ", now), 3s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), 10s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now), 0ms);
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("-5", now));
}

TEST(RateLimiter, SpacesRequestsAfterTheBurst) {
  RateLimiter limiter(10, 2);  // 10 per second, 2 at once
  const auto t0 = RateLimiter::Clock::time_point{} + 1h;
  EXPECT_EQ(limiter.reserve(t0), RateLimiter::Clock::duration::zero());
  EXPECT_EQ(limiter.reserve(t0), RateLimiter::Clock::duration::zero());
  const auto wait = limiter.reserve(t0);
  EXPECT_NEAR(std::chrono::duration<double>(wait).count(), 0.1, 0.001);
  EXPECT_EQ(limiter.reserve(t0 + 1s), RateLimiter::Clock::duration::zero());
  RateLimiter unlimited(0, 1);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(unlimited.reserve(t0), RateLimiter::Clock::duration::zero());
}

}  // namespace
}  // namespace crmsync::http
