// bench/sandbox support: starts crmsync-sandbox on 127.0.0.1:0 in a temporary state dir and
// talks keep-alive HTTP to it with libcurl (one connection per client).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace sandbox_bench {

struct Reply {
  long status = 0;
  std::string body;
};

class Client {
 public:
  explicit Client(std::string base_url);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Adds the bearer token once set; `content_type` empty sends no body type.
  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& content_type = "");
  void set_token(std::string token) { token_ = std::move(token); }

 private:
  std::string base_url_;
  std::string token_;
  void* curl_;
};

class Sandbox {
 public:
  Sandbox();  // throws std::runtime_error when the binary does not start
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  [[nodiscard]] const std::string& url() const { return url_; }
  // A client_credentials access token.
  [[nodiscard]] std::string token() const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path state_;
  std::string url_;
};

// The value of "key":"value" in a flat JSON text (enough for ids and states).
std::string json_string(const std::string& json, const std::string& key);

}  // namespace sandbox_bench
