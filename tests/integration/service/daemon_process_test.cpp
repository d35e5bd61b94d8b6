// `crmsync run` as systemd runs it: the real binary with NOTIFY_SOCKET set, syncing the demo inbox
// into the sandbox. READY once started, a STATUS= line per cycle, a new file in the inbox picked up
// through inotify, /healthz and /metrics on loopback, `crmsync status` from the daemon and from
// the state database, a refused reload that leaves the daemon running, and a clean SIGTERM.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "daemon/service/status_client.hpp"
#include "tests/integration/e2e/e2e_fixture.hpp"
#include "tests/unit/service/notify_socket.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using crmsync::service::testing::NotifySocket;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

// A port nobody listens on right now (bound, read, released): the daemon's status.listen, which
// `crmsync status` must find in the configuration.
std::uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class DaemonProcess : public e2e::EndToEnd {
 protected:
  void SetUp() override {
    EndToEnd::SetUp();
    if (HasFatalFailure()) return;
    port_ = free_port();
    std::ofstream(config_, std::ios::app) << "status: { listen: 127.0.0.1:" << port_ << " }\n";
    good_config_ = read_file(config_);
    notify_ = std::make_unique<NotifySocket>(dir_ / "notify.sock");
  }

  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  void start_daemon() {
    std::vector<std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry)
      if (std::string_view(*entry).rfind("NOTIFY_SOCKET=", 0) != 0)
        environment.emplace_back(*entry);
    environment.push_back("NOTIFY_SOCKET=" + notify_->path().string());
    std::vector<std::string> arguments{CRMSYNC_BINARY,   "-c", config_.string(), "run",
                                       "--stop-timeout", "30"};
    std::vector<char*> argv, envp;
    for (auto& a : arguments)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : environment)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ / "daemon.log").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_EQ(posix_spawn(&pid_, CRMSYNC_BINARY, &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
  }

  // The exit status once the process ends, or -1 at the deadline (a pidfd: no polling loop).
  int wait_exit(std::chrono::milliseconds deadline) {
    const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd < 0) return -1;
    pollfd ended{pidfd, POLLIN, 0};
    const int ready = poll(&ended, 1, static_cast<int>(deadline.count()));
    close(pidfd);
    if (ready <= 0) return -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  bool alive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }
  crmsync::settings::HostPort status_address() const { return {"127.0.0.1", port_}; }
  std::string log() const { return read_file(dir_ / "daemon.log"); }

  std::uint16_t port_ = 0;
  std::string good_config_;
  std::unique_ptr<NotifySocket> notify_;
  pid_t pid_ = -1;
};

TEST_F(DaemonProcess, ServesReloadsAndStopsUnderTheNotifyProtocol) {
  start_daemon();
  ASSERT_THAT(notify_->wait_for("READY=1", 30s), HasSubstr("READY=1")) << log();
  // The first cycle runs at start and ends with a STATUS= line.
  ASSERT_THAT(notify_->wait_for("reps: completed", 120s), HasSubstr("STATUS=")) << log();

  EXPECT_EQ(crmsync::service::fetch_status(status_address(), "/healthz", 5s), "ok\n");
  const auto metrics = crmsync::service::fetch_status(status_address(), "/metrics", 5s);
  ASSERT_TRUE(metrics);
  EXPECT_THAT(*metrics,
              HasSubstr("crmsync_cycles_total{source=\"reps\",result=\"completed\"} 1\n"));
  EXPECT_THAT(*metrics, HasSubstr("kind=\"create\",result=\"ok\""));
  const auto status = crmsync("status --json");
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("\"daemon\":{\"pid\":" + std::to_string(pid_)));

  // A new file in a rep's folder is noticed by inotify: a second cycle long before any interval.
  const auto rep = dir_ / "inbox" / "bob.smith@acme.example";
  std::ofstream(rep / "new-lead.csv")
      << "First Name,Last Name,Email\nNadia,Quill,nadia@quill.example\n";
  const auto has_nadia = [&] {
    for (const auto& contact : export_records("Contact"))
      if (contact.count("Email") != 0 && contact.at("Email") == "nadia@quill.example") return true;
    return false;
  };
  // Cycles queued by the start-up scan may come first; the file's cycle follows within seconds.
  for (int cycle = 0; cycle < 4 && !has_nadia(); ++cycle)
    ASSERT_THAT(notify_->wait_for("reps: completed", 60s), HasSubstr("STATUS=")) << log();
  EXPECT_TRUE(has_nadia()) << log();

  // A broken configuration is refused; the daemon keeps serving on the previous one.
  std::ofstream(config_, std::ios::trunc) << "stat_dir: /nowhere\n";
  ASSERT_EQ(kill(pid_, SIGHUP), 0);
  EXPECT_THAT(notify_->wait_for("RELOADING=1", 10s), HasSubstr("MONOTONIC_USEC="));
  EXPECT_THAT(notify_->wait_for("READY=1", 10s), HasSubstr("reload failed"));
  EXPECT_TRUE(alive());
  EXPECT_EQ(crmsync::service::fetch_status(status_address(), "/healthz", 5s), "ok\n");
  EXPECT_THAT(log(), HasSubstr("unknown setting 'stat_dir'"));

  std::ofstream(config_, std::ios::trunc) << good_config_;
  ASSERT_EQ(kill(pid_, SIGTERM), 0);
  EXPECT_THAT(notify_->wait_for("STOPPING=1", 10s), HasSubstr("STOPPING=1"));
  EXPECT_EQ(wait_exit(40s), 0) << log();

  // With the daemon gone, status reads the state database.
  const auto after = crmsync("status --json");
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("\"daemon\":null"));
  EXPECT_THAT(after.out, HasSubstr("\"status\":\"completed\""));
  const auto text = crmsync("status");
  EXPECT_THAT(text.out, HasSubstr("daemon: not answering"));
}

TEST_F(DaemonProcess, AnInvalidConfigurationStopsTheStartWithExConfig) {
  std::ofstream(config_, std::ios::trunc) << "stat_dir: /nowhere\n";
  start_daemon();
  EXPECT_EQ(wait_exit(30s), 78) << log();
  EXPECT_TRUE(notify_->wait_for("READY=1", 100ms).empty());
}

}  // namespace
