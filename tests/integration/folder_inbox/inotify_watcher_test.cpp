// Integration tests of the inbox watcher on a real temp inbox with real inotify. Every wait is on
// a condition with a deadline; nothing sleeps and hopes.
#include "connectors/folder/inbox/inotify_watcher.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "connectors/folder/inbox/change_tracker.hpp"
#include "connectors/folder/inbox/content_hash.hpp"
#include "tests/unit/folder_inbox/temp_inbox.hpp"

namespace crmsync::folder {
namespace {

using namespace std::chrono_literals;
using testing::TempInbox;

constexpr auto kDeadline = 15s;

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.root = inbox_.root();
    options_.stability_window = 300ms;
    options_.debounce = 20ms;
    options_.rescan_interval = 1h;  // inotify alone must do it, unless a test says otherwise
  }

  void TearDown() override {
    io_.stop();
    if (thread_.joinable()) thread_.join();
    watcher_.reset();
  }

  void start() {
    WatcherCallbacks callbacks;
    callbacks.on_ready = [this](const InboxFile& file) {
      const std::lock_guard lock(mutex_);
      ready_.push_back({file, std::chrono::steady_clock::now()});
      changed_.notify_all();
      if (file.relative_path.starts_with("throw")) throw Error(ErrorCategory::input, "handler");
    };
    callbacks.on_refused = [this](const RefusedEntry& entry) {
      const std::lock_guard lock(mutex_);
      refused_.push_back(entry);
      changed_.notify_all();
    };
    callbacks.on_scan = [this](const ScanResult&) {
      const std::lock_guard lock(mutex_);
      ++scans_seen_;
      changed_.notify_all();
    };
    watcher_ = std::make_unique<InboxWatcher>(io_, options_, callbacks);
    watcher_->start();
    thread_ = std::thread([this] { io_.run(); });
  }

  // Waits until `predicate` (called under the lock) holds, or the deadline passes.
  bool wait_until(const std::function<bool()>& predicate) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, predicate);
  }

  bool wait_ready(const std::string& key, std::size_t occurrences = 1) {
    return wait_until([&] { return ready_count(key) >= occurrences; });
  }

  std::size_t ready_count(const std::string& key) const {
    std::size_t count = 0;
    for (const auto& event : ready_)
      count += event.file.key() == key ? 1 : 0;
    return count;
  }

  std::optional<InboxFile> last_ready(const std::string& key) {
    const std::lock_guard lock(mutex_);
    for (auto it = ready_.rbegin(); it != ready_.rend(); ++it) {
      if (it->file.key() == key) return it->file;
    }
    return std::nullopt;
  }

  bool wait_refused(const std::string& key, Refusal refusal) {
    return wait_until([&] {
      for (const auto& entry : refused_) {
        if (entry.key() == key && entry.refusal == refusal) return true;
      }
      return false;
    });
  }

  struct ReadyEvent {
    InboxFile file;
    std::chrono::steady_clock::time_point at;
  };

  TempInbox inbox_;
  InboxOptions options_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::unique_ptr<InboxWatcher> watcher_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ReadyEvent> ready_;
  std::vector<RefusedEntry> refused_;
  std::size_t scans_seen_ = 0;
};

TEST_F(WatcherTest, ExistingFilesAreReadyAfterTheStabilityWindow) {
  inbox_.write("anna@acme.com/My Contacts.xlsx", "xlsx");
  const auto started = std::chrono::steady_clock::now();
  start();
  ASSERT_TRUE(wait_ready("anna@acme.com/My Contacts.xlsx"));
  const std::lock_guard lock(mutex_);
  EXPECT_GE(ready_.front().at - started, options_.stability_window);
}

TEST_F(WatcherTest, NewFileIsReady) {
  std::filesystem::create_directories(inbox_.path("anna"));
  start();
  inbox_.write("anna/leads.csv", "a,b\n1,2\n");
  ASSERT_TRUE(wait_ready("anna/leads.csv"));
  EXPECT_EQ(last_ready("anna/leads.csv")->size, 8U);
}

TEST_F(WatcherTest, NewRepFolderAndSubfoldersAreWatched) {
  start();
  ASSERT_TRUE(wait_until([&] { return scans_seen_ >= 1; }));
  inbox_.write("bob@acme.com/2024/Q3/deals.csv", "x");
  ASSERT_TRUE(wait_ready("bob@acme.com/2024/Q3/deals.csv"));
  // The new subfolder now has its own watch: a second file there is seen by inotify too.
  inbox_.write("bob@acme.com/2024/Q3/more.csv", "y");
  ASSERT_TRUE(wait_ready("bob@acme.com/2024/Q3/more.csv"));
}

TEST_F(WatcherTest, ChangedFileIsReadyAgain) {
  inbox_.write("anna/a.csv", "v1");
  start();
  ASSERT_TRUE(wait_ready("anna/a.csv"));
  inbox_.write("anna/a.csv", "version 2");
  ASSERT_TRUE(wait_ready("anna/a.csv", 2));
  EXPECT_EQ(last_ready("anna/a.csv")->size, 9U);
}

TEST_F(WatcherTest, RenamedFileIsReadyUnderItsNewNameAndClassifiedAsRename) {
  inbox_.write("anna/old name.csv", "content");
  start();
  ASSERT_TRUE(wait_ready("anna/old name.csv"));
  const InboxFile first = *last_ready("anna/old name.csv");
  InMemoryKnownFiles known;
  known.put({first.rep, first.relative_path, first.size, first.mtime_ns,
             hash_inbox_file(options_, first)});

  std::filesystem::rename(inbox_.path("anna/old name.csv"), inbox_.path("anna/new name.csv"));
  ASSERT_TRUE(wait_ready("anna/new name.csv"));
  const InboxFile renamed = *last_ready("anna/new name.csv");
  const ChangeSet changes = classify_changes(
      {renamed}, known, [&](const InboxFile& file) { return hash_inbox_file(options_, file); });
  ASSERT_EQ(changes.changes.size(), 1U);
  EXPECT_EQ(changes.changes[0].kind, ChangeKind::renamed);
  EXPECT_EQ(changes.changes[0].previous_path, "old name.csv");
}

TEST_F(WatcherTest, HalfWrittenFileIsNotReadyUntilItStopsGrowing) {
  std::filesystem::create_directories(inbox_.path("anna"));
  start();
  // A slow upload: a chunk every 50 ms for 1.5 s, far longer than the 300 ms window.
  std::size_t written = 0;
  const auto until = std::chrono::steady_clock::now() + 1500ms;
  std::ofstream out(inbox_.path("anna/upload.csv"), std::ios::binary);
  while (std::chrono::steady_clock::now() < until) {
    out << std::string(100, 'x') << std::flush;
    written += 100;
    std::unique_lock lock(mutex_);
    // Waiting on the condition (not sleeping) also fails fast if a ready event sneaks in.
    changed_.wait_for(lock, 50ms, [&] { return ready_count("anna/upload.csv") > 0; });
    ASSERT_EQ(ready_count("anna/upload.csv"), 0U) << "reported while still growing";
  }
  out.close();
  ASSERT_TRUE(wait_ready("anna/upload.csv"));
  EXPECT_EQ(last_ready("anna/upload.csv")->size, written);
  const std::lock_guard lock(mutex_);
  EXPECT_EQ(ready_count("anna/upload.csv"), 1U);
}

TEST_F(WatcherTest, PlantedSymlinkIsRefusedNotRead) {
  TempInbox outside;
  outside.write("passwd", "root:x:0:0");
  std::filesystem::create_directories(inbox_.path("anna"));
  start();
  ASSERT_EQ(::symlink(outside.path("passwd").c_str(), inbox_.path("anna/contacts.csv").c_str()), 0);
  ASSERT_TRUE(wait_refused("anna/contacts.csv", Refusal::symlink));
  inbox_.write("anna/after.csv", "a");  // later files are still served
  ASSERT_TRUE(wait_ready("anna/after.csv"));
  const std::lock_guard lock(mutex_);
  EXPECT_EQ(ready_count("anna/contacts.csv"), 0U);
}

TEST_F(WatcherTest, HardLinkIsRefused) {
  TempInbox outside;
  outside.write("shadow", "secret");
  std::filesystem::create_directories(inbox_.path("anna"));
  start();
  std::filesystem::create_hard_link(outside.path("shadow"), inbox_.path("anna/contacts.csv"));
  ASSERT_TRUE(wait_refused("anna/contacts.csv", Refusal::hard_link));
  const std::lock_guard lock(mutex_);
  EXPECT_EQ(ready_count("anna/contacts.csv"), 0U);
}

TEST_F(WatcherTest, RefusalIsReportedOnceNotOnEveryScan) {
  std::filesystem::create_directories(inbox_.path("anna"));
  ::mkfifo(inbox_.path("anna/pipe.csv").c_str(), 0600);
  start();
  ASSERT_TRUE(wait_refused("anna/pipe.csv", Refusal::not_regular));
  for (int i = 0; i < 3; ++i)
    inbox_.write("anna/f" + std::to_string(i) + ".csv", "x");
  ASSERT_TRUE(wait_ready("anna/f2.csv"));
  const std::lock_guard lock(mutex_);
  EXPECT_EQ(refused_.size(), 1U);
}

TEST_F(WatcherTest, PeriodicRescanFindsFilesWithoutInotify) {
  options_.use_inotify = false;
  options_.rescan_interval = 100ms;
  start();
  inbox_.write("anna/nfs.csv", "seen only by the rescan");
  ASSERT_TRUE(wait_ready("anna/nfs.csv"));
}

TEST_F(WatcherTest, RescanNowFindsFilesWhenNothingElseWould) {
  options_.use_inotify = false;
  start();
  ASSERT_TRUE(wait_until([&] { return scans_seen_ >= 1; }));
  inbox_.write("anna/late.csv", "x");
  watcher_->rescan_now();
  ASSERT_TRUE(wait_ready("anna/late.csv"));
}

TEST_F(WatcherTest, AThrowingHandlerDoesNotStopTheWatcher) {
  std::filesystem::create_directories(inbox_.path("anna"));
  start();
  inbox_.write("anna/throw.csv", "the handler throws for this one");
  ASSERT_TRUE(wait_ready("anna/throw.csv"));
  inbox_.write("anna/next.csv", "still served");
  ASSERT_TRUE(wait_ready("anna/next.csv"));
}

TEST_F(WatcherTest, QueueOverflowTriggersAFullRescan) {
  std::ifstream limit_file("/proc/sys/fs/inotify/max_queued_events");
  std::size_t limit = 0;
  if (!(limit_file >> limit) || limit > 100'000) GTEST_SKIP() << "cannot size an overflow";
  std::filesystem::create_directories(inbox_.path("anna"));
  start();
  ASSERT_TRUE(wait_until([&] { return scans_seen_ >= 1; }));
  // Hold the io thread so the kernel queue fills: each file raises IN_CREATE and IN_CLOSE_WRITE.
  std::promise<void> release;
  std::promise<void> held;
  boost::asio::post(io_, [&] {
    held.set_value();
    release.get_future().wait();
  });
  held.get_future().wait();
  const std::size_t files = limit / 2 + 64;
  for (std::size_t i = 0; i < files; ++i) {
    const auto path = inbox_.path("anna/f" + std::to_string(i) + ".csv");
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
  release.set_value();
  ASSERT_TRUE(wait_ready("anna/f" + std::to_string(files - 1) + ".csv"));
  // The scan the first events asked for may report the files before the reader reaches the
  // overflow marker at the end of the kernel queue (a loaded machine): wait for it, briefly.
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (watcher_->overflows() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  EXPECT_GE(watcher_->overflows(), 1U);
}

TEST_F(WatcherTest, MissingRootFailsAtStartWithAConfigError) {
  options_.root = inbox_.path("does-not-exist");
  InboxWatcher watcher(io_, options_, {});
  try {
    watcher.start();
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::config);
  }
}

}  // namespace
}  // namespace crmsync::folder
