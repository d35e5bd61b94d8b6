#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <exception>
#include <thread>
#include <vector>

namespace sandbox::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Salesforce answers an oversized body with 413; the exact body text is not recorded, so this
// follows the usual error-array shape.
constexpr const char* kTooLargeBody =
    R"([{"message":"Request Entity Too Large","errorCode":"REQUEST_ENTITY_TOO_LARGE"}])";
constexpr const char* kBadRequestBody = R"([{"message":"Bad Request","errorCode":"BAD_REQUEST"}])";

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Handler& handler, std::size_t max_body)
      : stream_(std::move(socket)),
        delay_timer_(stream_.get_executor()),
        handler_(handler),
        max_body_(max_body) {}

  void start() { read_next(); }

 private:
  void read_next() {
    parser_.emplace();
    parser_->body_limit(max_body_);
    parser_->header_limit(16 * 1024);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof) return close();
    if (ec == bhttp::error::body_limit) return write_error(413, kTooLargeBody);
    if (ec == bhttp::error::header_limit) return write_error(431, kBadRequestBody);
    if (ec) return close();

    auto& message = parser_->get();
    Request request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    const bool keep_alive = message.keep_alive();

    Response response;
    if (!split_target(request)) {
      response = Response::json(400, kBadRequestBody);
    } else {
      try {
        response = handler_(request);
      } catch (const std::exception& error) {
        // The body stays what the org sends; the cause goes to the sandbox's own log.
        std::fprintf(stderr, "crmsync-sandbox: %s %s failed: %s\n", request.method.c_str(),
                     request.path.c_str(), error.what());
        response = Response::json(
            500,
            std::string(
                R"([{"message":"An unexpected error occurred. Please include this )"
                R"(ErrorId if you contact support: sandbox","errorCode":"UNKNOWN_EXCEPTION"}])"));
      }
    }
    if (response.reset_connection) {
      beast::error_code ignored;
      stream_.socket().set_option(asio::socket_base::linger(true, 0), ignored);
      return close();
    }
    if (response.delay.count() > 0) {
      delay_timer_.expires_after(response.delay);
      auto delayed = std::make_shared<Response>(std::move(response));
      delay_timer_.async_wait(
          [self = shared_from_this(), delayed, keep_alive](beast::error_code wait_error) {
            if (wait_error) return self->close();
            self->send(std::move(*delayed), keep_alive);
          });
      return;
    }
    send(std::move(response), keep_alive);
  }

  void write_error(int status, const char* body) { send(Response::json(status, body), false); }

  void send(Response response, bool keep_alive) {
    auto reply = std::make_shared<bhttp::response<bhttp::string_body>>();
    reply->version(11);
    reply->result(static_cast<unsigned>(response.status));
    reply->set(bhttp::field::server, "crmsync-sandbox");
    if (!response.content_type.empty())
      reply->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers)
      reply->set(name, value);
    reply->body() = std::move(response.body);
    reply->keep_alive(keep_alive);
    reply->prepare_payload();
    bhttp::async_write(
        stream_, *reply,
        [self = shared_from_this(), reply, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive) return self->close();
          self->read_next();
        });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  asio::steady_timer delay_timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  const Handler& handler_;
  std::size_t max_body_;
};

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& opts, Handler h)
      : options(opts), handler(std::move(h)), io(static_cast<int>(opts.threads)), acceptor(io) {
    const tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  }

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (acceptor.is_open()) accept();
        return;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), handler, options.max_body_bytes)->start();
      accept();
    });
  }

  ServerOptions options;
  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
};

Server::Server(const ServerOptions& options, Handler handler)
    : impl_(std::make_unique<Impl>(options, std::move(handler))) {}

Server::~Server() {
  stop();
}

unsigned short Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
  impl_->accept();
  std::vector<std::thread> workers;
  for (std::size_t i = 1; i < impl_->options.threads; ++i) {
    workers.emplace_back([this] { impl_->io.run(); });
  }
  impl_->io.run();
  for (auto& worker : workers)
    worker.join();
}

void Server::stop() {
  asio::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
}

}  // namespace sandbox::http
