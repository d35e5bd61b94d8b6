#include "connectors/http/rate_limiter.hpp"

#include <algorithm>
#include <thread>

namespace crmsync::http {

RateLimiter::RateLimiter(double per_second, double burst)
    : per_second_(per_second), burst_(std::max(1.0, burst)), tokens_(std::max(1.0, burst)) {}

RateLimiter::Clock::duration RateLimiter::reserve(Clock::time_point now) {
  if (per_second_ <= 0) return Clock::duration::zero();
  std::lock_guard lock(mutex_);
  if (started_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * per_second_);
  }
  started_ = true;
  last_ = now;
  tokens_ -= 1;
  if (tokens_ >= 0) return Clock::duration::zero();
  // In debt: wait until the bucket has refilled to zero.
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(-tokens_ / per_second_));
}

void RateLimiter::acquire() {
  const auto wait = reserve(Clock::now());
  if (wait > Clock::duration::zero()) std::this_thread::sleep_for(wait);
}

}  // namespace crmsync::http
