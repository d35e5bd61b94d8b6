// tests/unit/service/service_fixture.hpp — a real configuration in a temporary directory (the
// shipped rep-contacts mapping, a state dir, an inbox, status on 127.0.0.1:0), and a log of the
// daemon's milestones that tests wait on with deadlines.
#pragma once

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace crmsync::service::testing {

class ConfigDir {
 public:
  explicit ConfigDir(const std::string& name) {
    root_ = std::filesystem::temp_directory_path()
            / ("crmsync-service-" + std::to_string(getpid()) + "-" + name);
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "mappings");
    std::filesystem::create_directories(root_ / "inbox");
    std::filesystem::copy_file(
        std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/mappings/rep-contacts.yaml",
        root_ / "mappings/rep-contacts.yaml");
    write_valid("reps");
  }
  ~ConfigDir() { std::filesystem::remove_all(root_); }
  ConfigDir(const ConfigDir&) = delete;
  ConfigDir& operator=(const ConfigDir&) = delete;

  void write_valid(const std::string& source_name) {
    write("state_dir: " + (root_ / "state").string() +
          "\nstatus: { listen: 127.0.0.1:0 }\n"
          "crm:\n  type: salesforce\n  instance_url: https://acme.my.salesforce.com\n"
          "  auth: { flow: client_credentials, client_id: abc, client_secret: { file: " +
          (root_ / "sf.secret").string() +
          " } }\n"
          "sources:\n  - name: " +
          source_name + "\n    type: folder\n    path: " + (root_ / "inbox").string() +
          "\n    mappings:\n      - { files: \"*.csv\", use: rep-contacts }\n");
  }
  // A typo an admin could make: the daemon must refuse it and keep the previous configuration.
  void write_broken() { write("stat_dir: /var/lib/crmsync\n"); }

  std::filesystem::path file() const { return root_ / "crmsync.yaml"; }
  std::filesystem::path root() const { return root_; }

 private:
  void write(const std::string& text) {
    // Written beside and renamed, as editors do, so a reload never reads half a file.
    const auto temporary = root_ / "crmsync.yaml.new";
    std::ofstream(temporary) << text;
    std::filesystem::rename(temporary, file());
  }
  std::filesystem::path root_;
};

class EventLog {
 public:
  void add(const std::string& event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    }
    changed_.notify_all();
  }
  int count(const std::string& event) {
    std::lock_guard lock(mutex_);
    return count_locked(event);
  }
  bool wait_for(const std::string& event, int at_least = 1,
                std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] { return count_locked(event) >= at_least; });
  }

 private:
  int count_locked(const std::string& event) const {
    int n = 0;
    for (const auto& e : events_)
      n += e == event ? 1 : 0;
    return n;
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
};

}  // namespace crmsync::service::testing
