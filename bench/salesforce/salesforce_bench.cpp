// bench/salesforce — a 100k-row Bulk job's upload CSV, written on the way to UploadComplete; and
// matching its result rows to its operations: in upload order (the usual case: no index at all)
// and shuffled (the index by key is built once).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "connectors/salesforce/bulk_result_matcher.hpp"
#include "connectors/salesforce/bulk_upload.hpp"

namespace {
using crmsync::CrmOperation;
using crmsync::salesforce::BulkResultMatcher;

constexpr std::size_t kRows = 100'000;

std::vector<std::vector<std::string>> inserts() {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(kRows);
  for (std::size_t i = 0; i < kRows; ++i)
    rows.push_back({"Robert", "Lastname" + std::to_string(i),
                    "robert." + std::to_string(i) + "@bench.example",
                    "+1305892" + std::to_string(i), "Buyer"});
  return rows;
}

// The job's operations as the planner makes them: an owner and five fields each.
std::vector<CrmOperation> contact_inserts() {
  std::vector<CrmOperation> group;
  group.reserve(kRows);
  for (const auto& row : inserts()) {
    CrmOperation op;
    op.object = "Contact";
    op.values = {{"OwnerId", "005SB000000000AAA"},
                 {"FirstName", row[0]},
                 {"LastName", row[1]},
                 {"Email", row[2]},
                 {"Phone", row[3]},
                 {"Title", row[4]}};
    group.push_back(std::move(op));
  }
  return group;
}

// Each result row's echoed cells against its operation's, as the upload places them.
void match(benchmark::State& state, bool shuffled) {
  const auto group = contact_inserts();
  const crmsync::salesforce::BulkUpload upload(group);
  std::vector<std::vector<std::string_view>> echoes(kRows);
  for (std::size_t i = 0; i < kRows; ++i)
    upload.cells(i, echoes[i]);
  std::vector<std::size_t> order(kRows);
  for (std::size_t i = 0; i < kRows; ++i)
    order[i] = i;
  if (shuffled) std::shuffle(order.begin(), order.end(), std::mt19937(7));
  std::size_t matched = 0;
  for (auto _ : state) {
    BulkResultMatcher matcher(
        kRows, CrmOperation::Kind::create, 0,
        [&](std::size_t i, std::vector<std::string_view>& out) { upload.cells(i, out); });
    matched = 0;
    for (const auto i : order)
      matched += matcher.take(echoes[i]).has_value();
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.counters["matched"] = static_cast<double>(matched);
}

void BM_WriteBulkUpload(benchmark::State& state) {
  const auto group = contact_inserts();
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string csv = crmsync::salesforce::BulkUpload(group).csv();
    bytes = csv.size();
    benchmark::DoNotOptimize(csv.data());
  }
  state.SetItemsProcessed(state.iterations() * kRows);
  state.counters["csv_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_MatchBulkResultsInUploadOrder(benchmark::State& state) {
  match(state, false);
}
void BM_MatchBulkResultsShuffled(benchmark::State& state) {
  match(state, true);
}
BENCHMARK(BM_WriteBulkUpload)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_MatchBulkResultsInUploadOrder)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_MatchBulkResultsShuffled)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
