// daemon/state/state_store.hpp — crmsync's memory across runs: one SQLite file (WAL) under
// state_dir. Opening it checks integrity, sets the busy timeout and brings the schema up to date
// (daemon/state/migrations.cpp); everything that must survive a crash or restart lives here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "daemon/state/sqlite_statement.hpp"
#include "daemon/state/wal_checkpointer.hpp"

namespace crmsync::state {

struct RunRecord {
  std::int64_t id = 0;
  std::string kind;
  std::string started_at;
  std::string finished_at;
  std::string status;
  std::string summary_json;
};

class StateStore {
 public:
  static constexpr const char* kFileName = "crmsync.db";

  // Opens <state_dir>/crmsync.db, creating the directory (0750) and the database when absent.
  // It is written through a write-ahead log (WAL), checkpointed on a thread of its own, so that
  // `crmsync status` reads while a cycle writes. Throws crmsync::Error (config) when the file is
  // corrupt, not a database, or from a newer crmsync.
  static std::unique_ptr<StateStore> open(const std::filesystem::path& state_dir);

  // From here on, through a rollback journal instead, for a command that is about to write a
  // Bulk job's records and exit: each page goes to the database once, where the WAL has it
  // written twice (to the log, then at the checkpoint), and the exit waits for no checkpoint (a
  // 100k-row first sync: 75 ms less). Each commit then syncs the database (synchronous=FULL):
  // a cycle of many small commits (Collections of 200) is faster in WAL mode, 20% at 1,900 rows.
  // Other processes read between its transactions. Returns false, and the store stays in WAL
  // mode, when another process holds it open in WAL mode (the service is running): found out at
  // once, not after the busy timeout.
  bool use_rollback_journal();
  enum class Journal { wal, rollback };
  Journal journal();

  int schema_version();
  // A consistent copy through SQLite's online backup API, safe while the daemon writes.
  void backup_to(const std::filesystem::path& destination);

  std::int64_t start_run(const std::string& kind);
  void finish_run(std::int64_t run_id, const std::string& status, const std::string& summary_json);
  std::vector<RunRecord> recent_runs(int limit);
  // Writes staged in the outbox and not settled (pending, or sent with the outcome unknown); an
  // entry for a Bulk job counts each of its operations.
  std::int64_t pending_outbox_operations();

  Connection& connection() { return connection_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit StateStore(const std::filesystem::path& path);
  void check_integrity();
  void migrate();

  std::filesystem::path path_;
  Connection connection_;
  // Declared after the connection: it stops before the connection closes.
  std::unique_ptr<WalCheckpointer> checkpointer_;
};

// The current time as ISO 8601 UTC with milliseconds, as the state database stores times.
std::string utc_now_iso8601();

}  // namespace crmsync::state
