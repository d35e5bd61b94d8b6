// tests/unit/service/run_until.hpp — drives an io_context until a condition holds or a deadline
// passes: tests wait on conditions, never on sleeps.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>

namespace crmsync::service::testing {

inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    io.restart();
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Runs the loop for a window in which nothing more may happen (to prove an absence).
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds window) {
  const auto until = std::chrono::steady_clock::now() + window;
  while (std::chrono::steady_clock::now() < until) {
    io.restart();
    io.run_one_until(until);
  }
}

}  // namespace crmsync::service::testing
