// daemon/state/wal_checkpointer.hpp — checkpoints the state database's WAL from a second
// connection on its own thread, so that no commit waits for one. With SQLite's automatic
// checkpoint, the commit that takes the WAL past 4 MB first copies all of it into the
// database and syncs it: a 100k-row sync's two large commits spent 0.3 and 0.6 s there, on the
// critical path. SQLite documents this arrangement (wal_autocheckpoint off, checkpoints run
// elsewhere); a PASSIVE checkpoint never blocks the writer or its readers.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace crmsync::state {

class WalCheckpointer {
 public:
  // Starts the thread and takes over `writer`'s checkpoints. Returns null (the writer keeps
  // SQLite's automatic checkpoint) when the second connection or the thread cannot be had.
  static std::unique_ptr<WalCheckpointer> start(const std::string& path, sqlite3* writer);
  // Stops the thread after the checkpoint it is running; the writer's close checkpoints the rest.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // WAL bytes past which a commit asks for a checkpoint: SQLite's default of 1,000 pages at its
  // default page size, counted in bytes so that larger pages do not let the WAL grow further.
  static constexpr int kBytesBeforeCheckpoint = 1000 * 4096;

 private:
  WalCheckpointer(sqlite3* writer, sqlite3* checkpointer, int pages_before_checkpoint);
  static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
  void run();

  sqlite3* writer_;
  sqlite3* checkpointer_;
  const int pages_before_checkpoint_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace crmsync::state
