#include "daemon/service/status_http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/error.hpp"

namespace crmsync::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadDeadline = std::chrono::seconds(10);
constexpr std::size_t kMaxRequestBytes =
    16 * 1024;  // GETs without bodies; anything bigger is abuse

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, StatusRouter router)
      : stream_(std::move(socket)), router_(std::move(router)) {}

  void start() {
    parser_.header_limit(kMaxRequestBytes);
    parser_.body_limit(kMaxRequestBytes);
    stream_.expires_after(kReadDeadline);
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (!ec) self->answer();
                     });
  }

 private:
  void answer() {
    const auto& request = parser_.get();
    HttpReply reply;
    try {
      reply =
          router_(std::string_view(request.method_string().data(), request.method_string().size()),
                  std::string_view(request.target().data(), request.target().size()));
    } catch (const std::exception& e) {
      spdlog::error("status endpoint: {}", e.what());
      reply = {500, "text/plain; charset=utf-8", "internal error\n"};
    }
    response_.version(request.version());
    response_.result(reply.status);
    response_.set(http::field::server, "crmsync");
    response_.set(http::field::content_type, reply.content_type);
    response_.set(http::field::cache_control, "no-store");
    response_.keep_alive(false);
    response_.body() = request.method() == http::verb::head ? std::string() : reply.body;
    response_.prepare_payload();
    if (request.method() == http::verb::head) response_.content_length(reply.body.size());
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code, std::size_t) {
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                      });
  }

  beast::tcp_stream stream_;
  StatusRouter router_;  // a copy: a session may outlive the server's stop()
  beast::flat_buffer buffer_;
  http::request_parser<http::string_body> parser_;
  http::response<http::string_body> response_;
};

}  // namespace

class StatusHttpServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, settings::HostPort listen, StatusRouter router)
      : io_(io), listen_(std::move(listen)), router_(std::move(router)), acceptor_(io) {}

  void start() {
    beast::error_code ec;
    const auto host = listen_.host == "localhost" ? std::string("127.0.0.1") : listen_.host;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) throw Error(ErrorCategory::config, "status.listen: not an address: " + listen_.text());
    const tcp::endpoint endpoint(address, listen_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw Error(ErrorCategory::config,
                  "status endpoint: cannot listen on " + listen_.text() + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    accept();
  }

  void stop() {
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

  std::uint16_t port() const { return port_; }

 private:
  void accept() {
    acceptor_.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), self->router_)->start();
      self->accept();
    });
  }

  asio::io_context& io_;
  settings::HostPort listen_;
  StatusRouter router_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
};

StatusHttpServer::StatusHttpServer(asio::io_context& io, settings::HostPort listen,
                                   StatusRouter router)
    : impl_(std::make_shared<Impl>(io, std::move(listen), std::move(router))) {}

StatusHttpServer::~StatusHttpServer() = default;
void StatusHttpServer::start() {
  impl_->start();
}
void StatusHttpServer::stop() {
  impl_->stop();
}
std::uint16_t StatusHttpServer::port() const {
  return impl_->port();
}

}  // namespace crmsync::service
