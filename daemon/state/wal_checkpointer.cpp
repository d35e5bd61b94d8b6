#include "daemon/state/wal_checkpointer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>
#include <system_error>

namespace crmsync::state {

std::unique_ptr<WalCheckpointer> WalCheckpointer::start(const std::string& path, sqlite3* writer) {
  sqlite3* checkpointer = nullptr;
  const auto without = [&](std::string_view why) -> std::unique_ptr<WalCheckpointer> {
    spdlog::debug("state database {}: no background checkpoint ({}); commits checkpoint", path,
                  why);
    sqlite3_close(checkpointer);
    return nullptr;
  };
  if (sqlite3_open_v2(path.c_str(), &checkpointer, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return without(checkpointer ? sqlite3_errmsg(checkpointer) : "out of memory");
  // A connection learns that the database is in WAL mode when it first reads it; until then a
  // checkpoint through it does nothing.
  if (sqlite3_exec(checkpointer, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr)
      != SQLITE_OK)
    return without(sqlite3_errmsg(checkpointer));
  sqlite3_stmt* page_size = nullptr;
  int pages = 1000;
  if (sqlite3_prepare_v2(writer, "PRAGMA page_size", -1, &page_size, nullptr) == SQLITE_OK
      && sqlite3_step(page_size) == SQLITE_ROW)
    pages = std::max(1, kBytesBeforeCheckpoint / std::max(1, sqlite3_column_int(page_size, 0)));
  sqlite3_finalize(page_size);
  std::unique_ptr<WalCheckpointer> started(new WalCheckpointer(writer, checkpointer, pages));
  try {
    started->thread_ = std::thread([self = started.get()] { self->run(); });
  } catch (const std::system_error& e) {
    spdlog::debug("state database {}: no background checkpoint ({}); commits checkpoint", path,
                  e.what());
    return nullptr;  // the destructor closes the connection; the writer's hook is not set yet
  }
  // Set last: from here on the writer's commits no longer checkpoint themselves.
  sqlite3_wal_hook(writer, &WalCheckpointer::on_commit, started.get());
  return started;
}

WalCheckpointer::WalCheckpointer(sqlite3* writer, sqlite3* checkpointer,
                                 int pages_before_checkpoint)
    : writer_(writer),
      checkpointer_(checkpointer),
      pages_before_checkpoint_(pages_before_checkpoint) {}

WalCheckpointer::~WalCheckpointer() {
  if (thread_.joinable()) {
    // Back to SQLite's automatic checkpoint before the thread goes (a nullptr hook would
    // leave the writer with none at all).
    sqlite3_wal_autocheckpoint(writer_, pages_before_checkpoint_);
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  sqlite3_close(checkpointer_);
}

int WalCheckpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (pages >= checkpointer->pages_before_checkpoint_) {
    {
      const std::lock_guard lock(checkpointer->mutex_);
      checkpointer->requested_ = true;
    }
    checkpointer->wake_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return requested_ || stopping_; });
      if (stopping_) return;
      requested_ = false;
    }
    // PASSIVE copies what no reader still needs and never waits; the writer restarts the WAL
    // from its beginning once all of it is in the database.
    const int rc = sqlite3_wal_checkpoint_v2(checkpointer_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
      spdlog::warn("state database: background checkpoint failed: {}",
                   sqlite3_errmsg(checkpointer_));
  }
}

}  // namespace crmsync::state
