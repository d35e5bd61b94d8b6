// The sandbox's HTTP/1.1 server: keep-alive, loopback, one io_context shared by a few threads.
// Every request is turned into a plain http::Request and handed to one Handler; Beast and Asio
// stay inside server.cpp.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace sandbox::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 0;  // 0: any free port
  std::size_t threads = 2;
  std::size_t max_body_bytes = 160 * 1024 * 1024;  // Bulk uploads are up to ~150 MB
};

class Server {
 public:
  // Binds and listens immediately, so port() is known before run().
  Server(const ServerOptions& options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] unsigned short port() const;
  // Serves until stop(); returns when all threads have finished.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sandbox::http
