// connectors/http/rate_limiter.hpp — a token bucket that spaces requests to a configured rate,
// so crmsync stays a polite client of an API shared with every other integration of the org.
#pragma once

#include <chrono>
#include <mutex>

namespace crmsync::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_second` <= 0 means unlimited. `burst` requests may go at once after a quiet spell.
  RateLimiter(double per_second, double burst);

  // How long the caller must wait before sending, having taken one token (0 = send now).
  // Split from the wait itself so tests need no clock games.
  Clock::duration reserve(Clock::time_point now);
  void acquire();

 private:
  std::mutex mutex_;
  double per_second_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
  bool started_ = false;
};

}  // namespace crmsync::http
