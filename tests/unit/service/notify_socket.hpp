// tests/unit/service/notify_socket.hpp — the receiving end of sd_notify, as systemd has it: a
// datagram socket whose path goes in NOTIFY_SOCKET. Tests wait (with a deadline) for messages.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace crmsync::service::testing {

class NotifySocket {
 public:
  explicit NotifySocket(const std::filesystem::path& path) : path_(path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof(address.sun_path), "%s", path.c_str());
    std::filesystem::remove(path);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0)
      throw std::runtime_error("cannot bind the notify socket " + path.string());
  }
  ~NotifySocket() {
    close(fd_);
    std::filesystem::remove(path_);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The next message containing `wanted`, or "" at the deadline. Every message is kept in `all`.
  std::string wait_for(const std::string& wanted,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {};
      pollfd ready{fd_, POLLIN, 0};
      if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) return {};
      char buffer[4096];
      const auto n = recv(fd_, buffer, sizeof(buffer), 0);
      if (n <= 0) continue;
      std::string message(buffer, static_cast<std::size_t>(n));
      all.push_back(message);
      if (message.find(wanted) != std::string::npos) return message;
    }
  }

  std::vector<std::string> all;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace crmsync::service::testing
