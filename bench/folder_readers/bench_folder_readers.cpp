// bench/folder_readers — throughput of the readers on generated files, each beside a baseline run
// in the same process on the same file: MB/s for UTF-8, cp1252 and UTF-16 CSV against Python's csv
// module, rows/s for a 10-column XLSX against openpyxl (read-only), and the peak RSS while reading
// a 1M-row CSV and a 1M-row XLSX (which must stay flat: rows stream). Targets: UTF-8 >= 300 MB/s,
// cp1252/UTF-16 >= 150 MB/s, XLSX >= 300k rows/s, peak RSS <= 256 MB. Rates are per CPU second
// (ours and the baselines'), so a busy machine skews the ratio less than the absolute figures;
// `vs_python` / `vs_openpyxl` say how many times faster ours is.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>

#include "bench/folder_readers/bench_inputs.hpp"
#include "bench/folder_readers/python_baseline.hpp"
#include "connectors/folder/readers/read_file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace crmsync::folder;
using namespace crmsync::bench;

constexpr std::size_t kCsvRows = 300'000;
// openpyxl reads some 30k rows/s: 100k rows keep its run to seconds and ours well measurable.
constexpr std::size_t kXlsxRows = 100'000;

struct CountingSink final : RecordSink {
  std::size_t records = 0;
  std::size_t cells = 0;
  void on_table(const TableInfo&, std::shared_ptr<const crmsync::Header>) override {}
  void on_record(crmsync::Record&& record) override {
    ++records;
    cells += record.cells.size();
  }
  void on_row_error(crmsync::RowError&&) override {}
};

double cpu_seconds() {
  timespec now{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// Baseline rates (bytes or rows per CPU second) by case, for the ratio on our benchmark.
std::map<std::string, double>& baseline_rates() {
  static std::map<std::string, double> rates;
  return rates;
}

void report_ratio(benchmark::State& state, const std::string& key, double our_rate,
                  const char* counter) {
  const auto baseline = baseline_rates().find(key);
  if (baseline == baseline_rates().end()) {
    state.SetLabel("baseline absent or not run");
    return;
  }
  state.counters[counter] = our_rate / baseline->second;
}

// Our reader, `path` read whole each iteration; the rate is per CPU second like the baseline's.
std::size_t read_repeatedly(benchmark::State& state, const fs::path& path, double& cpu) {
  ReadOptions options;
  CountingSink sink;
  const double start = cpu_seconds();
  for (auto _ : state) {
    sink = {};
    read_file(path, options, sink);
    benchmark::DoNotOptimize(sink.cells);
  }
  cpu = cpu_seconds() - start;
  return sink.records;
}

void csv_benchmark(benchmark::State& state, const std::string& encoding) {
  const fs::path path = csv_file(encoding + ".csv", kCsvRows, encoding);
  double cpu = 0;
  const std::size_t rows = read_repeatedly(state, path, cpu);
  const auto bytes = static_cast<double>(fs::file_size(path));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations())
                          * static_cast<std::int64_t>(bytes));
  state.counters["rows"] = static_cast<double>(rows);
  report_ratio(state, encoding, bytes * static_cast<double>(state.iterations()) / cpu, "vs_python");
}

void python_csv_benchmark(benchmark::State& state, const std::string& encoding,
                          const std::string& python_codec) {
  const fs::path path = csv_file(encoding + ".csv", kCsvRows, encoding);
  BaselineRun run;
  for (auto _ : state) {
    run = python_csv(path, python_codec);
    state.SetIterationTime(run.available ? run.cpu_seconds : 1e-9);
  }
  if (!run.available) {
    state.SetLabel(run.absent_reason);
    return;
  }
  const auto bytes = static_cast<double>(fs::file_size(path));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["rows"] = static_cast<double>(run.rows);
  baseline_rates()[encoding] = bytes / run.cpu_seconds;
}

// Forks a child that reads `path`; the child's peak RSS is the reader's (plus the few MB the
// benchmark process held at the fork), untouched by any other benchmark's buffers.
void peak_rss_benchmark(benchmark::State& state, const fs::path& path) {
  rusage usage{};
  for (auto _ : state) {
    const pid_t child = ::fork();
    if (child == 0) {
      CountingSink sink;
      int code = 0;
      try {
        read_file(path, {}, sink);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", path.filename().c_str(), e.what());
        code = 1;
      }
      ::_exit(sink.records > 0 ? code : 1);
    }
    int status = 0;
    ::wait4(child, &status, 0, &usage);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("the read failed");
  }
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_PeakRss_Csv1MRows(benchmark::State& state) {
  peak_rss_benchmark(state, csv_file("million.csv", 1'000'000, "utf8"));
}
BENCHMARK(BM_PeakRss_Csv1MRows)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_PeakRss_Xlsx1MRows(benchmark::State& state) {
  peak_rss_benchmark(state, xlsx_file("million.xlsx", 1'000'000));
}
BENCHMARK(BM_PeakRss_Xlsx1MRows)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_PythonCsvUtf8(benchmark::State& state) {
  python_csv_benchmark(state, "utf8", "utf-8");
}
BENCHMARK(BM_PythonCsvUtf8)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_CsvUtf8(benchmark::State& state) {
  csv_benchmark(state, "utf8");
}
BENCHMARK(BM_CsvUtf8)->Unit(benchmark::kMillisecond);

void BM_PythonCsvWindows1252(benchmark::State& state) {
  python_csv_benchmark(state, "cp1252", "cp1252");
}
BENCHMARK(BM_PythonCsvWindows1252)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_CsvWindows1252(benchmark::State& state) {
  csv_benchmark(state, "cp1252");
}
BENCHMARK(BM_CsvWindows1252)->Unit(benchmark::kMillisecond);

void BM_PythonCsvUtf16(benchmark::State& state) {
  python_csv_benchmark(state, "utf16le", "utf-16");
}
BENCHMARK(BM_PythonCsvUtf16)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_CsvUtf16(benchmark::State& state) {
  csv_benchmark(state, "utf16le");
}
BENCHMARK(BM_CsvUtf16)->Unit(benchmark::kMillisecond);

void BM_OpenpyxlXlsx10Columns(benchmark::State& state) {
  const fs::path path = xlsx_file("bench.xlsx", kXlsxRows);
  BaselineRun run;
  for (auto _ : state) {
    run = openpyxl_rows(path);
    state.SetIterationTime(run.available ? run.cpu_seconds : 1e-9);
  }
  if (!run.available) {
    state.SetLabel(run.absent_reason);
    return;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(run.rows));
  state.counters["rows"] = static_cast<double>(run.rows);
  baseline_rates()["xlsx"] = static_cast<double>(run.rows) / run.cpu_seconds;
}
BENCHMARK(BM_OpenpyxlXlsx10Columns)->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Xlsx10Columns(benchmark::State& state) {
  const fs::path path = xlsx_file("bench.xlsx", kXlsxRows);
  double cpu = 0;
  const std::size_t rows = read_repeatedly(state, path, cpu);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations())
                          * static_cast<std::int64_t>(rows));
  state.counters["rows"] = static_cast<double>(rows);
  report_ratio(state, "xlsx",
               static_cast<double>(rows) * static_cast<double>(state.iterations()) / cpu,
               "vs_openpyxl");
}
BENCHMARK(BM_Xlsx10Columns)->Unit(benchmark::kMillisecond);

// A legacy .xls as a real spreadsheet program wrote it (Gnumeric). libfreexl runs in a forked
// child per file, so the figure is wall time per file: the fork and the wire included.
void BM_XlsWorkbookInAChild(benchmark::State& state) {
  const fs::path path = fs::path(CRMSYNC_TEST_DATA_DIR) / "xls" / "Q3 pipeline.xls";
  ReadOptions options;
  CountingSink sink;
  for (auto _ : state) {
    sink = {};
    read_file(path, options, sink);
    benchmark::DoNotOptimize(sink.cells);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations())
                          * static_cast<std::int64_t>(sink.records));
  state.counters["rows"] = static_cast<double>(sink.records);
}
BENCHMARK(BM_XlsWorkbookInAChild)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
