#include "daemon/service/inbox_watchers.hpp"

#include <spdlog/spdlog.h>

#include "connectors/folder/folder_settings.hpp"
#include "connectors/folder/inbox/inotify_watcher.hpp"

namespace crmsync::service {
namespace {

folder::InboxOptions inbox_options(const folder::FolderSettings& settings) {
  folder::InboxOptions options;
  options.root = settings.path;
  if (settings.max_file_mib > 0)
    options.max_file_bytes = static_cast<std::uint64_t>(settings.max_file_mib) * 1024 * 1024;
  if (settings.stable_for.count() > 0) options.stability_window = settings.stable_for;
  if (settings.rescan_every.count() > 0) options.rescan_interval = settings.rescan_every;
  return options;
}

}  // namespace

InboxWatchers::InboxWatchers(boost::asio::io_context& io, OnChange on_change)
    : io_(io), on_change_(std::move(on_change)) {}

InboxWatchers::~InboxWatchers() {
  stop();
}

void InboxWatchers::watch(const Config& config) {
  stop();
  for (const auto& source : config.sources) {
    const auto* settings = dynamic_cast<const folder::FolderSettings*>(source.get());
    if (settings == nullptr) continue;
    folder::WatcherCallbacks callbacks;
    callbacks.on_ready = [on_change = on_change_, name = source->name](const folder::InboxFile&) {
      on_change(name);
    };
    auto watcher =
        std::make_unique<folder::InboxWatcher>(io_, inbox_options(*settings), std::move(callbacks));
    try {
      watcher->start();
      watchers_.push_back(std::move(watcher));
    } catch (const std::exception& e) {
      spdlog::error(
          "source '{}': cannot watch {}: {}; it still runs every {}s", source->name,
          settings->path.string(), e.what(),
          std::chrono::duration_cast<std::chrono::seconds>(settings->rescan_every).count());
    }
  }
}

void InboxWatchers::stop() {
  for (auto& watcher : watchers_)
    watcher->stop();
  watchers_.clear();
}

}  // namespace crmsync::service
