#include "sandbox_bench_client.hpp"

#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace sandbox_bench {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

Client::Client(std::string base_url) : base_url_(std::move(base_url)), curl_(curl_easy_init()) {}

Client::~Client() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Reply Client::send(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& content_type) {
  auto* curl = static_cast<CURL*>(curl_);
  Reply reply;
  const std::string url = base_url_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPGET, method == "GET" ? 1L : 0L);
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  if (!token_.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + token_).c_str());
  if (!content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (code != CURLE_OK) throw std::runtime_error(std::string("HTTP: ") + curl_easy_strerror(code));
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Sandbox::Sandbox() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "crmsync-bench-sandbox-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  state_ = pattern;
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    const std::string state = state_.string();
    execl(CRMSYNC_SANDBOX_BINARY, CRMSYNC_SANDBOX_BINARY, "--listen", "127.0.0.1:0", "--state",
          state.c_str(), "--daily-limit", "1000000000", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  // Waits for the readiness line with a deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string output;
  const std::string marker = "listening on ";
  while (url_.empty() && std::chrono::steady_clock::now() < deadline) {
    pollfd fd{fds[0], POLLIN, 0};
    if (poll(&fd, 1, 200) <= 0) continue;
    char buffer[256];
    const ssize_t got = read(fds[0], buffer, sizeof buffer);
    if (got <= 0) break;
    output.append(buffer, static_cast<std::size_t>(got));
    const auto at = output.find(marker);
    const auto end = at == std::string::npos ? at : output.find('\n', at);
    if (end != std::string::npos)
      url_ = output.substr(at + marker.size(), end - at - marker.size());
  }
  close(fds[0]);
  if (url_.empty()) throw std::runtime_error("crmsync-sandbox did not start: " + output);
}

Sandbox::~Sandbox() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(state_, ignored);
}

std::string Sandbox::token() const {
  Client client(url_);
  const Reply reply = client.send(
      "POST", "/services/oauth2/token",
      "grant_type=client_credentials&client_id=crmsync-sandbox&client_secret=sandbox-secret",
      "application/x-www-form-urlencoded");
  return json_string(reply.body, "access_token");
}

std::string json_string(const std::string& json, const std::string& key) {
  const std::string marker = "\"" + key + "\":\"";
  const auto at = json.find(marker);
  if (at == std::string::npos) return "";
  const auto start = at + marker.size();
  return json.substr(start, json.find('"', start) - start);
}

}  // namespace sandbox_bench
