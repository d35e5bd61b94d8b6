#include "daemon/service/status_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace crmsync::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<std::string> fetch_status(const settings::HostPort& listen, std::string_view target,
                                        std::chrono::milliseconds deadline) {
  std::string host = listen.host;
  if (host == "0.0.0.0" || host == "localhost") host = "127.0.0.1";
  if (host == "::") host = "::1";
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return std::nullopt;

  // Async operations because only they honour tcp_stream's deadline.
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, std::string(target), 11};
  request.set(http::field::host, listen.text());
  request.set(http::field::user_agent, "crmsync-status");
  http::response<http::string_body> response;
  bool ok = false;

  stream.expires_after(deadline);
  stream.async_connect(tcp::endpoint(address, listen.port), [&](beast::error_code connect_ec) {
    if (connect_ec) return;
    http::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
      if (write_ec) return;
      http::async_read(stream, buffer, response, [&](beast::error_code read_ec, std::size_t) {
        ok = !read_ec && response.result() == http::status::ok;
      });
    });
  });
  io.run();
  if (!ok) return std::nullopt;
  return std::move(response.body());
}

}  // namespace crmsync::service
