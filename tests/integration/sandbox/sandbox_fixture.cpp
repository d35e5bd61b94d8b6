#include "sandbox_fixture.hpp"

#include <curl/curl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace sandbox_test {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t append_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' '))
      value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
      value.pop_back();
    headers[name] = value;
  }
  return size * count;
}

}  // namespace

std::string Reply::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

std::string Reply::json(const std::string& pointer) const {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return "<not json>";
  simdjson::dom::element value;
  if (root.at_pointer(pointer).get(value) != simdjson::SUCCESS) return "<missing>";
  if (value.is_string()) return std::string(value.get_string().value());
  return simdjson::to_string(value);
}

std::size_t Reply::json_size(const std::string& pointer) const {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return SIZE_MAX;
  simdjson::dom::element value;
  if (root.at_pointer(pointer).get(value) != simdjson::SUCCESS) return SIZE_MAX;
  if (value.is_array()) return value.get_array().value().size();
  if (value.is_object()) return value.get_object().value().size();
  return SIZE_MAX;
}

HttpClient::HttpClient(std::string base_url)
    : base_url_(std::move(base_url)), curl_(curl_easy_init()) {}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Reply HttpClient::send(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers) {
  auto* curl = static_cast<CURL*>(curl_);
  Reply reply;
  curl_easy_reset(curl);
  const std::string url = base_url_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "GET") curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_slist* list = nullptr;
  for (const auto& header : headers)
    list = curl_slist_append(list, header.c_str());
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, append_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(list);
  reply.failed = code != CURLE_OK;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Reply HttpClient::api(const std::string& method, const std::string& path,
                      const std::string& json_body, std::vector<std::string> headers) {
  if (!token_.empty()) headers.push_back("Authorization: Bearer " + token_);
  if (!json_body.empty()) headers.push_back("Content-Type: application/json");
  return send(method, path, json_body, headers);
}

Reply HttpClient::api_body(const std::string& method, const std::string& path,
                           const std::string& body, std::vector<std::string> headers) {
  if (!token_.empty()) headers.push_back("Authorization: Bearer " + token_);
  return send(method, path, body, headers);
}

SandboxProcess::SandboxProcess(const std::filesystem::path& state_dir,
                               const std::vector<std::string>& extra_args) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return;
  std::vector<std::string> args = {CRMSYNC_SANDBOX_BINARY, "--listen", "127.0.0.1:0", "--state",
                                   (state_dir / "state").string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  // Wait for the readiness line with a deadline instead of sleeping.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  const std::string marker = "listening on ";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd fd{pipe_fds[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&fd, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) continue;
    char buffer[512];
    const ssize_t got = read(pipe_fds[0], buffer, sizeof buffer);
    if (got <= 0) break;
    output_.append(buffer, static_cast<std::size_t>(got));
    const auto pos = output_.find(marker);
    const auto end = pos == std::string::npos ? std::string::npos : output_.find('\n', pos);
    if (end != std::string::npos) {
      url_ = output_.substr(pos + marker.size(), end - pos - marker.size());
      break;
    }
  }
  close(pipe_fds[0]);
}

SandboxProcess::~SandboxProcess() {
  stop();
}

int SandboxProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::filesystem::path make_temp_dir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "crmsync-sandbox-test-XXXXXX").string();
  const char* made = mkdtemp(pattern.data());
  return made != nullptr ? std::filesystem::path(made) : std::filesystem::path();
}

void remove_temp_dir(const std::filesystem::path& dir) {
  std::error_code ignored;
  if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
}

CommandResult run_command(const std::string& command_line) {
  const auto dir = make_temp_dir();
  const auto err_file = dir / "stderr";
  const std::string command = command_line + " 2>'" + err_file.string() + "'";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 65536> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_file);
  result.err.assign(std::istreambuf_iterator<char>(err), std::istreambuf_iterator<char>());
  remove_temp_dir(dir);
  return result;
}

// The demo org in the repository (a copy of shared/data/world-small/crm), so the tests run on a
// clone that has no ../shared.
std::string seed_dir() {
  return std::string(CRMSYNC_SOURCE_DIR) + "/config/demo/crm";
}

std::string url_encode(const std::string& text) {
  char* encoded = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
  std::string out(encoded);
  curl_free(encoded);
  return out;
}

void SandboxTest::SetUp() {
  dir_ = make_temp_dir();
  sandbox_ = std::make_unique<SandboxProcess>(dir_, extra_args());
  ASSERT_TRUE(sandbox_->started()) << sandbox_->startup_output();
  client_ = std::make_unique<HttpClient>(sandbox_->url());
  client_->set_token(fetch_token());
}

void SandboxTest::TearDown() {
  client_.reset();
  sandbox_.reset();
  remove_temp_dir(dir_);
}

std::string SandboxTest::fetch_token() {
  HttpClient anonymous(sandbox_->url());
  const Reply reply = anonymous.send(
      "POST", "/services/oauth2/token",
      "grant_type=client_credentials&client_id=crmsync-sandbox&client_secret=sandbox-secret",
      {"Content-Type: application/x-www-form-urlencoded"});
  return reply.json("/access_token");
}

Reply SandboxTest::query(const std::string& soql, const std::string& resource) {
  return client_->api("GET", std::string(kData) + "/" + resource + "?q=" + url_encode(soql));
}

}  // namespace sandbox_test
