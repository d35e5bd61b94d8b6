// daemon/service/status_http_server.hpp — the status endpoint's HTTP/1.1 server (Boost.Beast) on
// the daemon's io_context: one request per connection, small bounded requests, a read deadline.
// What it answers is StatusRouter's business. Asio stays out of this header (BUILD-NOTES).
#pragma once

#include <cstdint>
#include <memory>

#include "core/settings/spec.hpp"
#include "daemon/service/status_routes.hpp"

namespace boost::asio {
class io_context;
}

namespace crmsync::service {

class StatusHttpServer {
 public:
  StatusHttpServer(boost::asio::io_context& io, settings::HostPort listen, StatusRouter router);
  ~StatusHttpServer();
  StatusHttpServer(const StatusHttpServer&) = delete;
  StatusHttpServer& operator=(const StatusHttpServer&) = delete;

  // Binds and starts accepting. Throws Error(config) when the address cannot be bound.
  void start();
  // Stops accepting; connections in progress finish. Loop thread.
  void stop();
  // The bound port (the real one when the configuration said 0).
  std::uint16_t port() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace crmsync::service
