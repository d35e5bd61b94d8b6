// The state database on real SQLite files in a temporary directory.
#include "daemon/state/state_store.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.hpp"
#include "daemon/state/migrations.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/unit/state/older_schema.hpp"

namespace crmsync::state {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  const test_support::ScratchDir scratch_{"crmsync-state"};
  const std::filesystem::path dir_ = scratch_.path();
};

TEST_F(StateStoreTest, CreatesDirectoryAndLatestSchemaInWalMode) {
  auto store = StateStore::open(dir_ / "nested");
  EXPECT_EQ(store->schema_version(), latest_schema_version());
  auto mode = store->connection().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.text(0), "wal");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "nested" / StateStore::kFileName));
}

// A command about to write a Bulk job's records and exit switches to a rollback journal: after
// its commits there is no WAL to checkpoint, and nothing but the database is left in the
// directory. Its commits are synced whole (FULL). The service's next open takes the file back to
// WAL.
TEST_F(StateStoreTest, AOneShotCommandMaySwitchToARollbackJournal) {
  {
    auto store = StateStore::open(dir_);
    store->start_run("sync");
    EXPECT_EQ(store->journal(), StateStore::Journal::wal);
    EXPECT_TRUE(store->use_rollback_journal());
    EXPECT_EQ(store->journal(), StateStore::Journal::rollback);
    auto synchronous = store->connection().prepare("PRAGMA synchronous");
    ASSERT_TRUE(synchronous.step());
    EXPECT_EQ(synchronous.integer(0), 2);  // FULL
    for (int i = 0; i < 20; ++i)
      store->start_run("sync");
    EXPECT_FALSE(std::filesystem::exists(dir_ / (std::string(StateStore::kFileName) + "-wal")));
    EXPECT_TRUE(store->use_rollback_journal());  // a second call changes nothing
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename(), StateStore::kFileName);
  auto service = StateStore::open(dir_);
  EXPECT_EQ(service->journal(), StateStore::Journal::wal);
  EXPECT_EQ(service->recent_runs(50).size(), 21u);
}

// While the service has the database open in WAL mode, a one-shot command cannot leave it: it
// goes on in WAL mode, checkpointed as before, and finds that out at once rather than after the
// busy timeout.
TEST_F(StateStoreTest, AOneShotCommandBesideTheServiceKeepsTheWal) {
  auto service = StateStore::open(dir_);
  service->start_run("sync");
  auto command = StateStore::open(dir_);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(command->use_rollback_journal());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(command->journal(), StateStore::Journal::wal);
  EXPECT_EQ(service->journal(), StateStore::Journal::wal);
  // Its busy timeout is back: a write waits for the service's transaction instead of failing.
  auto timeout = command->connection().prepare("PRAGMA busy_timeout");
  ASSERT_TRUE(timeout.step());
  EXPECT_GE(timeout.integer(0), 1000);
  // And its WAL is still checkpointed: a large commit reaches the database file.
  command->connection().execute("CREATE TABLE filler (bytes BLOB)");
  {
    Transaction transaction(command->connection());
    auto insert = command->connection().prepare("INSERT INTO filler VALUES (zeroblob(65536))");
    for (int i = 0; i < 100; ++i) {
      insert.run();
      insert.reset();
    }
    transaction.commit();
  }
  const auto database = dir_ / StateStore::kFileName;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(database) < 6'000'000
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(std::filesystem::file_size(database), 6'000'000u);
  EXPECT_EQ(service->recent_runs(5).size(), 1u);
}

TEST_F(StateStoreTest, ANewDatabaseHasLargePagesAndAnOlderOneKeepsItsOwn) {
  const auto page_size = [](StateStore& store) {
    auto pragma = store.connection().prepare("PRAGMA page_size");
    EXPECT_TRUE(pragma.step());
    return pragma.integer(0);
  };
  EXPECT_EQ(page_size(*StateStore::open(dir_ / "new")), 32768);
  {
    Connection older((dir_ / StateStore::kFileName).string(), true);
    older.execute(
        "PRAGMA page_size=4096; CREATE TABLE kept (value TEXT); "
        "INSERT INTO kept VALUES ('from before')");
  }
  auto store = StateStore::open(dir_);
  EXPECT_EQ(page_size(*store), 4096);
  auto kept = store->connection().prepare("SELECT value FROM kept");
  ASSERT_TRUE(kept.step());
  EXPECT_EQ(kept.text(0), "from before");
}

TEST_F(StateStoreTest, ReopeningKeepsData) {
  std::int64_t run = 0;
  {
    auto store = StateStore::open(dir_);
    run = store->start_run("sync");
    store->finish_run(run, "completed", R"({"created":3})");
  }
  auto store = StateStore::open(dir_);
  const auto runs = store->recent_runs(10);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, run);
  EXPECT_EQ(runs[0].status, "completed");
  EXPECT_EQ(runs[0].summary_json, R"({"created":3})");
  EXPECT_FALSE(runs[0].finished_at.empty());
}

// A database left at each earlier schema version upgrades to the latest, keeping its rows.
TEST_F(StateStoreTest, UpgradesFromEveryEarlierVersion) {
  for (int from = 0; from < latest_schema_version(); ++from) {
    const auto dir = dir_ / ("from-" + std::to_string(from));
    std::filesystem::create_directories(dir);
    {
      Connection old((dir / StateStore::kFileName).string(), true);
      migrate_to(old, from);
      if (from >= 1)
        old.execute(
            "INSERT INTO runs (kind, started_at, status) VALUES ('plan', '2026-01-01', "
            "'completed')");
    }
    auto store = StateStore::open(dir);
    EXPECT_EQ(store->schema_version(), latest_schema_version()) << "from " << from;
    EXPECT_EQ(store->recent_runs(5).size(), from >= 1 ? 1u : 0u) << "from " << from;
    // Every table of the latest schema is usable.
    store->connection().execute(
        "SELECT count(*) FROM outbox; SELECT count(*) FROM audit; SELECT count(*) FROM "
        "review_queue; SELECT count(*) FROM crm_index;");
  }
}

// Audit rows written a field per row before schema 7 become records of one change each, and the
// audit view still lists them a field per row, as it lists what is written now.
TEST_F(StateStoreTest, AuditRowsOfAnOlderSchemaSurviveAsRecordsAndTheViewListsFields) {
  std::filesystem::create_directories(dir_);
  {
    Connection old((dir_ / StateStore::kFileName).string(), true);
    migrate_to(old, 6);
    old.execute(
        "INSERT INTO runs (id, kind, started_at, status) VALUES (1, 'sync', '2026-01-01', "
        "'completed');"
        "INSERT INTO audit (run_id, at, object, crm_id, field, old_value, new_value, policy, rep, "
        "file, sheet, row_number) VALUES "
        "(1, '2026-01-01T10:00:00.000Z', 'Contact', '003A', 'Phone', NULL, '+14155550123', "
        "'fill_empty', 'bob@acme.example', 'leads.xlsx', 'Leads', 7),"
        "(1, '2026-01-01T10:00:00.000Z', 'Contact', '003A', 'Title', 'CEO', 'CTO', "
        "'source_wins', 'bob@acme.example', 'leads.xlsx', 'Leads', 7);");
  }
  auto store = StateStore::open(dir_);
  auto& db = store->connection();
  db.execute(
      "INSERT INTO audit_records (run_id, at, object, crm_id, changes_json, rep, file, sheet, "
      "row_number) VALUES (1, '2026-01-02T10:00:00.000Z', 'Contact', '003B', "
      "'[[\"Email\",null,\"a@b.example\",\"fill_empty\"],[\"Title\",\"x\",\"y\",\"source_wins\"]]',"
      " "
      "'ann@acme.example', 'c.csv', '', 3)");
  auto fields = db.prepare(
      "SELECT crm_id, field, coalesce(old_value, '<null>'), new_value, policy, rep, file, sheet, "
      "row_number FROM audit ORDER BY record_id, field");
  std::vector<std::string> lines;
  while (fields.step()) {
    std::string line;
    for (int c = 0; c < 9; ++c)
      line += (c ? "|" : "") + fields.text(c);
    lines.push_back(line);
  }
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "003A|Phone|<null>|+14155550123|fill_empty|bob@acme.example|leads.xlsx|Leads|7",
                "003A|Title|CEO|CTO|source_wins|bob@acme.example|leads.xlsx|Leads|7",
                "003B|Email|<null>|a@b.example|fill_empty|ann@acme.example|c.csv||3",
                "003B|Title|x|y|source_wins|ann@acme.example|c.csv||3"}));
}

// A record's history is looked up by its id, with or without its object: both use the index
// (a full scan of a year's audit would take seconds), on a new database and on one from before
// schema 10, whose index named the object too.
TEST_F(StateStoreTest, ARecordsAuditIsFoundThroughAnIndexOnItsId) {
  std::filesystem::create_directories(dir_);
  {
    Connection old((dir_ / StateStore::kFileName).string(), true);
    migrate_to(old, 9);
  }
  auto store = StateStore::open(dir_);
  const auto plan_of = [&](const std::string& query) {
    auto explain = store->connection().prepare("EXPLAIN QUERY PLAN " + query);
    std::string plan;
    while (explain.step())
      plan += explain.text(3) + "\n";
    return plan;
  };
  for (const auto* query :
       {"SELECT * FROM audit_records WHERE crm_id = '003A'",
        "SELECT * FROM audit_records WHERE object = 'Contact' AND crm_id = '003A'",
        "SELECT * FROM audit WHERE crm_id = '003A'"})
    EXPECT_NE(plan_of(query).find("USING INDEX audit_records_by_record"), std::string::npos)
        << query << ":\n"
        << plan_of(query);
  auto old_index = store->connection().prepare(
      "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_records_by_crm_id'");
  old_index.step();
  EXPECT_EQ(old_index.integer(0), 0);
}

TEST_F(StateStoreTest, RefusesADatabaseFromANewerCrmsync) {
  std::filesystem::create_directories(dir_);
  {
    Connection future((dir_ / StateStore::kFileName).string(), true);
    future.execute("PRAGMA user_version = 999");
  }
  try {
    StateStore::open(dir_);
    FAIL() << "opened a newer schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::config);
    EXPECT_NE(std::string(e.what()).find("newer than this crmsync"), std::string::npos);
  }
}

TEST_F(StateStoreTest, GarbageFileGetsAClearConfigError) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ / StateStore::kFileName) << std::string(8192, 'x');
  try {
    StateStore::open(dir_);
    FAIL() << "opened garbage";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::config);
    EXPECT_NE(std::string(e.what()).find("restore a backup"), std::string::npos) << e.what();
  }
}

TEST_F(StateStoreTest, BackupIsAConsistentOpenableCopy) {
  auto store = StateStore::open(dir_ / "live");
  for (int i = 0; i < 50; ++i)
    store->start_run("sync");
  const auto copy = dir_ / "copy.db";
  store->backup_to(copy);
  EXPECT_FALSE(std::filesystem::exists(copy.string() + ".partial"));
  std::filesystem::create_directories(dir_ / "restored");
  std::filesystem::copy_file(copy, dir_ / "restored" / StateStore::kFileName);
  auto restored = StateStore::open(dir_ / "restored");
  EXPECT_EQ(restored->recent_runs(100).size(), 50u);
  EXPECT_EQ(restored->schema_version(), latest_schema_version());
}

TEST_F(StateStoreTest, FailedTransactionRollsBack) {
  auto store = StateStore::open(dir_);
  try {
    Transaction transaction(store->connection());
    store->start_run("sync");
    throw std::runtime_error("crash mid-batch");
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(store->recent_runs(5).empty());
}

TEST_F(StateStoreTest, ConstraintViolationsArePermanentErrors) {
  auto store = StateStore::open(dir_);
  try {
    store->connection().execute(
        "INSERT INTO runs (kind, started_at, status) VALUES ('bogus', 'x', 'running')");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::permanent);
  }
}

// A large commit's pages reach the database file from the background checkpointer, while the
// store stays open: the commit itself no longer waits for them.
TEST_F(StateStoreTest, ALargeCommitIsCheckpointedInTheBackground) {
  auto store = StateStore::open(dir_);
  const auto database = dir_ / StateStore::kFileName;
  const auto size_before = std::filesystem::file_size(database);
  {
    Transaction transaction(store->connection());
    store->connection().execute("CREATE TABLE bulk (payload BLOB)");
    // 8 MB, past the 4 MB that ask for a checkpoint.
    store->connection().execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
        "INSERT INTO bulk SELECT randomblob(8192) FROM n");
    transaction.commit();
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(database) < size_before + 8'000'000
         && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(std::filesystem::file_size(database), size_before + 8'000'000);
  auto count = store->connection().prepare("SELECT count(*) FROM bulk");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.integer(0), 1000);
}

// Closed, the store leaves no WAL behind: what the background thread had not copied yet, the
// close does, and a reopened store reads every row from the database file alone.
TEST_F(StateStoreTest, ClosingCheckpointsWhatIsLeft) {
  {
    auto store = StateStore::open(dir_);
    for (int i = 0; i < 20; ++i) {
      Transaction transaction(store->connection());
      if (i == 0) store->connection().execute("CREATE TABLE bulk (payload BLOB)");
      store->connection().execute(
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
          "INSERT INTO bulk SELECT randomblob(4096) FROM n");
      transaction.commit();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / (std::string(StateStore::kFileName) + "-wal")));
  auto store = StateStore::open(dir_);
  auto count = store->connection().prepare("SELECT count(*) FROM bulk");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.integer(0), 4000);
}

// A statement still open when its store closes keeps the WAL beside the file (the close is
// deferred until the statement goes): the store says so instead of leaving it silently.
TEST_F(StateStoreTest, ClosingWithAStatementStillOpenIsLogged) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  sqlite3_stmt* still_open = nullptr;
  {
    auto store = StateStore::open(dir_);
    ASSERT_EQ(
        sqlite3_prepare_v2(store->connection().handle(), "SELECT 1", -1, &still_open, nullptr),
        SQLITE_OK);
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ / (std::string(StateStore::kFileName) + "-wal")));
  sqlite3_finalize(still_open);  // completes the deferred close
  spdlog::set_default_logger(previous);
  EXPECT_NE(log.str().find("closed with a statement still open"), std::string::npos) << log.str();
  EXPECT_FALSE(std::filesystem::exists(dir_ / (std::string(StateStore::kFileName) + "-wal")));
}

}  // namespace
}  // namespace crmsync::state
