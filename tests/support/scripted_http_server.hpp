// tests/support/scripted_http_server.hpp — a real HTTP/1.1 server on 127.0.0.1:0 that answers
// from a script, for testing clients against a peer that misbehaves on cue: errors, Retry-After,
// slow answers, dropped connections. It records every request and counts connections, so tests
// can assert retries and keep-alive. Plain POSIX sockets: one connection at a time is all a
// single client needs, and it keeps Beast out of test builds.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace crmsync::testing {

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};
  bool drop_connection = false;  // read the request, then close without answering
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string header(const std::string& name) const;
};

class ScriptedHttpServer {
 public:
  ScriptedHttpServer();
  ~ScriptedHttpServer();

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const;

  // Answers in order; when the script runs out, every request gets `fallback`.
  void script(std::vector<ScriptedResponse> responses);
  void set_fallback(ScriptedResponse fallback);

  // Bytes written as soon as a connection is accepted, before any request (to play a server
  // that does not speak TLS when the client expects it).
  void set_banner(std::string banner);

  std::vector<ReceivedRequest> requests() const;
  int connections() const { return connections_.load(); }

 private:
  void serve();
  void handle(int fd);
  ScriptedResponse next();

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::deque<ScriptedResponse> script_;
  ScriptedResponse fallback_;
  std::string banner_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

}  // namespace crmsync::testing
