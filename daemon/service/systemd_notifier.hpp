// daemon/service/systemd_notifier.hpp — what the daemon tells systemd (sd_notify): readiness,
// watchdog keep-alives, a one-line status, reloads and stopping. Outside systemd (no
// NOTIFY_SOCKET) every call is a cheap no-op, so the daemon runs the same in a terminal.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace crmsync::service {

class SystemdNotifier {
 public:
  // READY=1 with a STATUS= line.
  void ready(std::string_view status);
  // RELOADING=1 with MONOTONIC_USEC=now, as Type=notify-reload (and systemd >= 253) expects;
  // older systemd ignores the timestamp. ready() ends the reload.
  void reloading();
  void stopping();
  void status(std::string_view status);
  void watchdog();

  // How often to send WATCHDOG=1: half of WatchdogSec, or nullopt when the watchdog is off
  // (sd_watchdog_enabled also checks WATCHDOG_PID is us).
  static std::optional<std::chrono::microseconds> watchdog_period();

 private:
  void send(std::string_view message);
};

}  // namespace crmsync::service
