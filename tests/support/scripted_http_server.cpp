#include "tests/support/scripted_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace crmsync::testing {
namespace {

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x))
                  == std::tolower(static_cast<unsigned char>(y));
         });
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

void write_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const auto n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::string ReceivedRequest::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return {};
}

ScriptedHttpServer::ScriptedHttpServer() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0
      || ::listen(listener_, 16) != 0)
    throw std::runtime_error("scripted server: cannot listen on 127.0.0.1");
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  thread_.join();
}

std::string ScriptedHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void ScriptedHttpServer::script(std::vector<ScriptedResponse> responses) {
  std::lock_guard lock(mutex_);
  script_.assign(responses.begin(), responses.end());
}

void ScriptedHttpServer::set_fallback(ScriptedResponse fallback) {
  std::lock_guard lock(mutex_);
  fallback_ = std::move(fallback);
}

void ScriptedHttpServer::set_banner(std::string banner) {
  std::lock_guard lock(mutex_);
  banner_ = std::move(banner);
}

std::vector<ReceivedRequest> ScriptedHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

ScriptedResponse ScriptedHttpServer::next() {
  std::lock_guard lock(mutex_);
  if (script_.empty()) return fallback_;
  auto response = script_.front();
  script_.pop_front();
  return response;
}

void ScriptedHttpServer::serve() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 100) <= 0) continue;
    const int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::string banner;
    {
      std::lock_guard lock(mutex_);
      banner = banner_;
    }
    if (!banner.empty()) write_all(fd, banner);
    handle(fd);
    ::close(fd);
  }
}

void ScriptedHttpServer::handle(int fd) {
  std::string buffer;
  char chunk[8192];
  while (!stopping_) {
    // Read one request: headers, then Content-Length bytes of body.
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      pollfd readable{fd, POLLIN, 0};
      if (::poll(&readable, 1, 100) == 0) {
        if (stopping_) return;
        continue;
      }
      const auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;  // the client closed the connection
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    ReceivedRequest request;
    const std::string head = buffer.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto space1 = request_line.find(' ');
    const auto space2 = request_line.find(' ', space1 + 1);
    request.method = request_line.substr(0, space1);
    request.target = request_line.substr(space1 + 1, space2 - space1 - 1);
    std::size_t content_length = 0;
    while (line_end != std::string::npos && line_end < head.size()) {
      const auto start = line_end + 2;
      line_end = head.find("\r\n", start);
      const auto line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers.emplace_back(line.substr(0, colon), value);
      if (iequals(line.substr(0, colon), "Content-Length")) content_length = std::stoul(value);
    }
    buffer.erase(0, header_end + 4);
    while (buffer.size() < content_length) {
      const auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    request.body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }

    const auto response = next();
    if (response.delay.count() > 0) std::this_thread::sleep_for(response.delay);
    if (response.drop_connection) return;
    std::string out =
        "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers)
      out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
    out += response.body;
    write_all(fd, out);
  }
}

}  // namespace crmsync::testing
