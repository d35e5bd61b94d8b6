#include "daemon/service/systemd_notifier.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace crmsync::service {
namespace {

// A status line is one line: systemd shows the first line only and a newline would start a new
// assignment in the notify message.
std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  return line;
}

std::uint64_t monotonic_usec() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000U
         + static_cast<std::uint64_t>(now.tv_nsec) / 1'000U;
}

}  // namespace

void SystemdNotifier::ready(std::string_view status) {
  send(fmt::format("READY=1\nSTATUS={}", one_line(status)));
}

void SystemdNotifier::reloading() {
  send(fmt::format("RELOADING=1\nMONOTONIC_USEC={}\nSTATUS=reloading configuration",
                   monotonic_usec()));
}

void SystemdNotifier::stopping() {
  send("STOPPING=1\nSTATUS=stopping: parking work in flight");
}

void SystemdNotifier::status(std::string_view status) {
  send(fmt::format("STATUS={}", one_line(status)));
}

void SystemdNotifier::watchdog() {
  send("WATCHDOG=1");
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_period() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

void SystemdNotifier::send(std::string_view message) {
  const std::string text(message);
  const int rc = sd_notify(0, text.c_str());
  // 0 means no NOTIFY_SOCKET: not run by systemd, nothing to tell.
  if (rc < 0) spdlog::warn("sd_notify failed: {}", fmt::format("errno {}", -rc));
}

}  // namespace crmsync::service
