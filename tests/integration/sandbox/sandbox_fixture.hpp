// Test support: spawns crmsync-sandbox on 127.0.0.1:0, waits (with a deadline) for its
// "listening on" line, and talks real HTTP to it with libcurl over one keep-alive connection.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sandbox_test {

struct Reply {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  bool failed = false;  // transport error (connection reset, refused)

  [[nodiscard]] std::string header(const std::string& name) const;
  // The value at a JSON pointer ("/0/errorCode") as text: strings unquoted, others as JSON.
  [[nodiscard]] std::string json(const std::string& pointer) const;
  [[nodiscard]] std::size_t json_size(const std::string& pointer) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::vector<std::string>& headers = {});
  // With "Authorization: Bearer <token>" added when a token is set.
  Reply api(const std::string& method, const std::string& path, const std::string& json_body = "",
            std::vector<std::string> headers = {});
  // With the token added; the body goes as is, typed by `headers` (CSV uploads).
  Reply api_body(const std::string& method, const std::string& path, const std::string& body,
                 std::vector<std::string> headers);
  void set_token(std::string token) { token_ = std::move(token); }
  [[nodiscard]] const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  std::string token_;
  void* curl_;
};

class SandboxProcess {
 public:
  // Starts the binary with --listen 127.0.0.1:0 --state <state_dir> and the extra arguments.
  SandboxProcess(const std::filesystem::path& state_dir,
                 const std::vector<std::string>& extra_args);
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  [[nodiscard]] const std::string& url() const { return url_; }
  [[nodiscard]] bool started() const { return !url_.empty(); }
  [[nodiscard]] const std::string& startup_output() const { return output_; }
  // Sends SIGTERM and waits; returns the exit status.
  int stop();

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::string output_;
};

// A fresh directory under $TMPDIR; whoever makes one removes it (remove_temp_dir) when done,
// so test runs do not leave state behind.
std::filesystem::path make_temp_dir();
void remove_temp_dir(const std::filesystem::path& dir);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a shell command line, capturing stdout and stderr apart.
CommandResult run_command(const std::string& command_line);
std::string seed_dir();  // config/demo/crm: the demo org, a copy of world-small/crm
std::string url_encode(const std::string& text);

// A fixture with a seeded sandbox and an authenticated client.
class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  virtual std::vector<std::string> extra_args() { return {"--seed", seed_dir()}; }
  // client_credentials token
  std::string fetch_token();
  Reply query(const std::string& soql, const std::string& resource = "query");

  std::filesystem::path dir_;
  std::unique_ptr<SandboxProcess> sandbox_;
  std::unique_ptr<HttpClient> client_;
};

inline constexpr const char* kData = "/services/data/v66.0";

}  // namespace sandbox_test
