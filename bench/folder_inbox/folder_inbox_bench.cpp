// bench/folder_inbox — what a full inbox scan and a content hash cost: the watcher rescans the
// whole inbox after every event burst, so the scan must stay cheap for thousands of files. And
// what a rep's report of a 100k-row file costs to render (XLSX and CSV): a first sync renders it
// while it records the results, on the path to the summary.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "connectors/folder/inbox/content_hash.hpp"
#include "connectors/folder/inbox/inbox_layout.hpp"
#include "connectors/folder/report/report_csv_writer.hpp"
#include "connectors/folder/report/report_xlsx_writer.hpp"

namespace {

using crmsync::folder::InboxOptions;

class BenchInbox {
 public:
  explicit BenchInbox(int reps, int files_per_rep) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "crmsync-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    root_ = pattern;
    for (int r = 0; r < reps; ++r) {
      const auto rep = root_ / ("rep" + std::to_string(r) + "@acme.example");
      std::filesystem::create_directories(rep / "2024");
      for (int f = 0; f < files_per_rep; ++f) {
        std::ofstream(rep / (f % 2 == 0 ? "" : "2024") / ("contacts" + std::to_string(f) + ".csv"))
            << "First,Last,Email\n";
      }
    }
  }
  ~BenchInbox() { std::filesystem::remove_all(root_); }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

void BM_ScanInbox(benchmark::State& state) {
  const BenchInbox inbox(50, static_cast<int>(state.range(0)) / 50);
  InboxOptions options;
  options.root = inbox.root();
  for (auto _ : state) {
    benchmark::DoNotOptimize(crmsync::folder::scan_inbox(options));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ScanInbox)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Sha256File(benchmark::State& state) {
  const BenchInbox inbox(0, 0);
  const auto path = inbox.root() / "big.bin";
  std::ofstream(path, std::ios::binary)
      << std::string(static_cast<std::size_t>(state.range(0)), 'x');
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  for (auto _ : state) {
    benchmark::DoNotOptimize(crmsync::folder::sha256_hex_of_fd(fd));
  }
  ::close(fd);
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Sha256File)->Arg(10 << 20)->Unit(benchmark::kMillisecond);

// A first sync's report rows: every row created, its name and address as a rep writes them.
std::vector<crmsync::folder::ReportRow> created_rows(std::size_t count) {
  std::vector<crmsync::folder::ReportRow> rows(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto& row = rows[i];
    row.row = static_cast<std::uint32_t>(i + 2);
    row.sheet = "Contacts";
    row.status = crmsync::folder::ReportStatus::created;
    row.crm_id = "003SB" + std::to_string(1000000000000 + i);
    row.name = "Maria Xrcsnbacg" + std::to_string(i);
    row.email = "maria.xrcsnbacg." + std::to_string(i) + "@bench.example";
  }
  return rows;
}

// Rows per second, and the size of the file written.
template <typename Render>
void render_report(benchmark::State& state, Render render) {
  const auto rows = created_rows(static_cast<std::size_t>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string file = render(rows);
    bytes = file.size();
    benchmark::DoNotOptimize(file.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_RenderReportXlsx(benchmark::State& state) {
  render_report(state, [](const auto& rows) { return crmsync::folder::render_report_xlsx(rows); });
}
BENCHMARK(BM_RenderReportXlsx)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_RenderReportCsv(benchmark::State& state) {
  render_report(state, [](const auto& rows) { return crmsync::folder::render_report_csv(rows); });
}
BENCHMARK(BM_RenderReportCsv)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
