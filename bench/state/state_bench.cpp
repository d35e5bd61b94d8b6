// bench/state — what a file's row set costs in the state database: a 100k-row file's rows written
// as one part (a first sync's Bulk job), read back whole (a changed file is re-read), and its
// rejected and in-review rows read apart (an unchanged file replays every cycle); and the audit
// records of a 100k-record Bulk job.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "daemon/state/audit_records.hpp"
#include "daemon/state/source_row_sets.hpp"
#include "daemon/state/state_store.hpp"

namespace {
namespace fs = std::filesystem;
using crmsync::state::SourceRowSets;
using crmsync::state::StateStore;
using crmsync::state::StoredRow;

constexpr int kRows = 100'000;

// Rows as a sync leaves them: mostly created and linked, some rejected or in review.
std::vector<StoredRow> rows_of_a_file() {
  std::vector<StoredRow> rows;
  rows.reserve(kRows);
  for (int i = 0; i < kRows; ++i) {
    StoredRow row;
    row.object = "Contact";
    row.row_key = "person." + std::to_string(i) + "@bench.exampleLastnameFirst";
    row.content_hash = std::to_string(1'000'000'000'000'000 + i);
    row.status = i % 29 == 0 ? "rejected" : i % 31 == 0 ? "review" : "created";
    if (row.status == "created") {
      row.applied_hash = row.content_hash;
      row.crm_id = "003SB" + std::to_string(100'000'000'000 + i);
    } else {
      row.reason = "the row holds no email, phone or name to match on";
    }
    row.sheet = "Contacts";
    row.row_number = i + 2;
    row.last_seen_run = 1;
    rows.push_back(std::move(row));
  }
  return rows;
}

struct Store {
  Store() {
    dir = fs::temp_directory_path() / ("crmsync-bench-state-" + std::to_string(getpid()));
    fs::remove_all(dir);
    store = StateStore::open(dir);
    store->connection().execute(
        "INSERT INTO source_items (id, source, owner, path, status) VALUES (1, 'reps', "
        "'rep@acme.example', 'contacts.xlsx', 'synced')");
  }
  ~Store() {
    store.reset();
    fs::remove_all(dir);
  }
  // The file's rows as one part, as a Bulk job's chunk leaves them.
  void write(const std::vector<StoredRow>& rows) {
    crmsync::state::Transaction transaction(store->connection());
    store->connection().execute("DELETE FROM source_row_sets");
    SourceRowSets sets(store->connection());
    auto& set = sets.change_in_part(1);
    std::vector<const StoredRow*> changed;
    for (const auto& row : rows)
      changed.push_back(&set.put(row));
    changed.clear();
    for (const auto& row : set.rows())
      changed.push_back(&row);
    sets.append_part(1, changed);
    sets.update();
    transaction.commit();
  }
  fs::path dir;
  std::unique_ptr<StateStore> store;
};

void BM_WriteRowSet100k(benchmark::State& state) {
  const auto rows = rows_of_a_file();
  Store store;
  for (auto _ : state)
    store.write(rows);
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_WriteRowSet100k)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_ReadRowSet100k(benchmark::State& state) {
  Store store;
  store.write(rows_of_a_file());
  for (auto _ : state) {
    SourceRowSets sets(store.store->connection());
    benchmark::DoNotOptimize(sets.read(1).find("Contact", "person.77@bench.exampleLastnameFirst"));
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_ReadRowSet100k)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_ListedRowsOf100k(benchmark::State& state) {
  Store store;
  store.write(rows_of_a_file());
  std::size_t listed = 0;
  for (auto _ : state) {
    SourceRowSets sets(store.store->connection());
    listed = sets.listed_rows(1)->listed.size();
  }
  state.counters["listed"] = static_cast<double>(listed);
}
BENCHMARK(BM_ListedRowsOf100k)->Unit(benchmark::kMillisecond)->Iterations(5);

// A first sync's audit: a record per contact created, five fields each, as one chunk's records.
// Each iteration inserts them in a transaction of its own into a table that grows, as runs do.
void BM_InsertAudit100k(benchmark::State& state) {
  Store store;
  const auto run = store.store->start_run("sync");
  std::vector<std::string> ids, changes;
  for (int i = 0; i < kRows; ++i) {
    ids.push_back("003SB" + std::to_string(100'000'000'000 + i));
    changes.push_back(R"([["FirstName",null,"Maria","fill_empty"],["LastName",null,"Xrcsnbacg)"
                      + std::to_string(i) + R"(","fill_empty"],["Email",null,"maria.)"
                      + std::to_string(i)
                      + R"(@bench.example","fill_empty"],["Phone",null,"+1439717)"
                      + std::to_string(1000 + i % 9000)
                      + R"(","fill_empty"],["Title",null,"Buyer","newest_wins"]])");
  }
  std::vector<crmsync::state::AuditRecord> records;
  for (int i = 0; i < kRows; ++i)
    records.push_back(
        {"Contact", ids[i], changes[i], "rep@acme.example", "contacts.xlsx", "Contacts", i + 2});
  crmsync::state::AuditRecords audit(store.store->connection(), run);
  for (auto _ : state) {
    crmsync::state::Transaction transaction(store.store->connection());
    audit.insert(records, "2026-11-30T10:00:00.000Z");
    transaction.commit();
  }
  audit.close();
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_InsertAudit100k)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
