#include "daemon/state/state_store.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "core/error.hpp"
#include "daemon/state/migrations.hpp"

namespace crmsync::state {

std::string utc_now_iso8601() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                     fmt::gmtime(static_cast<std::time_t>(seconds.count())), millis.count());
}

StateStore::StateStore(const std::filesystem::path& path)
    : path_(path), connection_(path.string(), true) {}

std::unique_ptr<StateStore> StateStore::open(const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec)
    throw Error(ErrorCategory::config,
                "state_dir " + state_dir.string() + ": cannot create: " + ec.message());
  std::filesystem::permissions(
      state_dir, std::filesystem::perms::group_write | std::filesystem::perms::others_all,
      std::filesystem::perm_options::remove, ec);
  std::unique_ptr<StateStore> store(new StateStore(state_dir / kFileName));
  store->check_integrity();
  // WAL lets `crmsync status` read while the daemon writes; NORMAL sync is durable in WAL mode
  // across process crashes (only an OS crash can lose the last transactions, never corrupt).
  // Pages of 32 KiB: a cycle's large writes (a 100k-row file's row set and audit, 60 MB) go to
  // the WAL and again to the file at the checkpoint, a system call a page; at 4 KiB that was 40k
  // calls each way. The size only takes on a new file (before its first table); a database made
  // by an older crmsync keeps its own, which would take a VACUUM to change.
  store->connection_.execute(
      "PRAGMA page_size=32768; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
      "PRAGMA foreign_keys=ON; "
      // 16 MiB: a 100k-row file's row set (14 MB) stays cached from cycle to cycle, where the
      // default 2 MB read it again each replay. Not more: a first sync's writes fill the whole
      // cache with new pages, and at 64 MiB a 100k-row first sync touched 40 MB more memory
      // (10k page faults, 0.1 CPU-s) while its replay was 3 ms faster (10 ms against 13.5).
      "PRAGMA cache_size=-16384;");
  store->checkpointer_ = WalCheckpointer::start(store->path_.string(), store->connection_.handle());
  store->migrate();
  return store;
}

bool StateStore::use_rollback_journal() {
  if (journal() == Journal::rollback) return true;
  // Leaving WAL mode takes the database to itself: the checkpointer's connection goes first.
  checkpointer_.reset();
  std::optional<std::int64_t> busy_ms;
  std::string mode;
  try {
    if (auto current = connection_.prepare("PRAGMA busy_timeout"); current.step())
      busy_ms = current.integer(0);
    connection_.execute("PRAGMA busy_timeout=0");
    auto set = connection_.prepare("PRAGMA journal_mode=DELETE");
    if (set.step()) mode = set.text(0);
  } catch (const Error& e) {
    spdlog::debug("state database {}: kept in WAL mode ({})", path_.string(), e.what());
  }
  if (busy_ms) connection_.execute(fmt::format("PRAGMA busy_timeout={}", *busy_ms));
  if (mode != "delete") {
    checkpointer_ = WalCheckpointer::start(path_.string(), connection_.handle());
    return false;
  }
  // Every commit synced whole (journal, then database): durable across an OS crash too.
  connection_.execute("PRAGMA synchronous=FULL");
  return true;
}

StateStore::Journal StateStore::journal() {
  auto mode = connection_.prepare("PRAGMA journal_mode");
  return mode.step() && mode.text(0) == "wal" ? Journal::wal : Journal::rollback;
}

void StateStore::check_integrity() {
  try {
    auto check = connection_.prepare("PRAGMA quick_check");
    std::string problems;
    while (check.step()) {
      const auto line = check.text(0);
      if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
    }
    if (!problems.empty())
      throw Error(ErrorCategory::config,
                  "state database " + path_.string() + " failed its integrity check: " + problems
                      + " (restore a backup made with `crmsync state backup`)");
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::config) throw;
    throw Error(ErrorCategory::config,
                "state database " + path_.string() + " cannot be used: " + e.what()
                    + " (is it a crmsync state file? restore a backup or move it away)");
  }
}

int StateStore::schema_version() {
  auto statement = connection_.prepare("PRAGMA user_version");
  statement.step();
  return static_cast<int>(statement.integer(0));
}

void StateStore::migrate() {
  const int current = schema_version();
  const int latest = latest_schema_version();
  if (current > latest)
    throw Error(ErrorCategory::config,
                fmt::format("state database {} has schema version {}, newer than this crmsync "
                            "understands ({}); run the newer crmsync or restore a backup",
                            path_.string(), current, latest));
  for (const auto& migration : migrations()) {
    if (migration.version <= current) continue;
    Transaction transaction(connection_);
    connection_.execute(migration.sql);
    connection_.execute(fmt::format("PRAGMA user_version = {}", migration.version));
    transaction.commit();
    spdlog::info("state database {}: migrated to schema {} ({})", path_.string(), migration.version,
                 migration.description);
  }
}

void StateStore::backup_to(const std::filesystem::path& destination) {
  const auto temporary = destination.string() + ".partial";
  std::filesystem::remove(temporary);
  {
    Connection target(temporary, true);
    sqlite3_backup* backup =
        sqlite3_backup_init(target.handle(), "main", connection_.handle(), "main");
    if (backup == nullptr) throw_sqlite_error(target.handle(), SQLITE_ERROR, "backup");
    int rc = SQLITE_OK;
    // Small steps so the daemon's writers are never blocked for long.
    do {
      rc = sqlite3_backup_step(backup, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw_sqlite_error(target.handle(), rc, "backup");
  }
  // Only a complete copy takes the destination's name.
  std::filesystem::rename(temporary, destination);
}

std::int64_t StateStore::start_run(const std::string& kind) {
  auto insert =
      connection_.prepare("INSERT INTO runs (kind, started_at, status) VALUES (?1, ?2, 'running')");
  insert.bind(1, kind).bind(2, utc_now_iso8601()).run();
  return connection_.last_insert_id();
}

void StateStore::finish_run(std::int64_t run_id, const std::string& status,
                            const std::string& summary_json) {
  auto update = connection_.prepare(
      "UPDATE runs SET finished_at = ?2, status = ?3, summary_json = ?4 WHERE id = ?1");
  update.bind(1, run_id).bind(2, utc_now_iso8601()).bind(3, status).bind(4, summary_json).run();
}

std::int64_t StateStore::pending_outbox_operations() {
  // `state != 'done'` lets SQLite use the partial index outbox_unsettled. A Bulk job's gzipped
  // entry (a BLOB, which JSON functions refuse) says its count in result_json; one an older
  // crmsync staged is JSON text. A payload that is neither (never written so; a hand-edited
  // store) counts as one operation rather than failing.
  auto count = connection_.prepare(
      "SELECT coalesce(sum(coalesce(CASE WHEN typeof(payload_json) = 'blob' THEN "
      "CASE WHEN json_valid(result_json) THEN json_extract(result_json, '$.operations') END "
      "WHEN json_valid(payload_json) THEN json_array_length(payload_json, '$.operations') END, "
      "1)), 0) FROM outbox WHERE state != 'done' AND state IN ('pending', 'sent')");
  count.step();
  return count.integer(0);
}

std::vector<RunRecord> StateStore::recent_runs(int limit) {
  auto query = connection_.prepare(
      "SELECT id, kind, started_at, COALESCE(finished_at, ''), status, COALESCE(summary_json, "
      "'') FROM runs ORDER BY id DESC LIMIT ?1");
  query.bind(1, static_cast<std::int64_t>(limit));
  std::vector<RunRecord> runs;
  while (query.step())
    runs.push_back({query.integer(0), query.text(1), query.text(2), query.text(3), query.text(4),
                    query.text(5)});
  return runs;
}

}  // namespace crmsync::state
