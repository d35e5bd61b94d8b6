// daemon/service/inbox_watchers.hpp — one inotify watcher (connectors/folder/inbox) per folder
// source, each telling the scheduler that its source changed. Rebuilt on every reload, since the
// inbox path or its options may have changed.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/config/crmsync_config.hpp"

namespace boost::asio {
class io_context;
}

namespace crmsync::folder {
class InboxWatcher;
}

namespace crmsync::service {

class InboxWatchers {
 public:
  using OnChange = std::function<void(const std::string& source)>;

  InboxWatchers(boost::asio::io_context& io, OnChange on_change);
  ~InboxWatchers();
  InboxWatchers(const InboxWatchers&) = delete;
  InboxWatchers& operator=(const InboxWatchers&) = delete;

  // Stops the current watchers and starts one per folder source of `config`. A watcher that
  // cannot start (inbox missing, out of inotify instances) is logged; its source still runs on
  // its interval. Loop thread.
  void watch(const Config& config);
  void stop();
  std::size_t active() const { return watchers_.size(); }

 private:
  boost::asio::io_context& io_;
  OnChange on_change_;
  std::vector<std::unique_ptr<folder::InboxWatcher>> watchers_;
};

}  // namespace crmsync::service
