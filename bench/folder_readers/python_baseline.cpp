#include "bench/folder_readers/python_baseline.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "bench/folder_readers/bench_inputs.hpp"

namespace crmsync::bench {
namespace fs = std::filesystem;
namespace {

constexpr const char* kPython = "/usr/bin/python3";

constexpr const char* kCsvScript = R"py(import csv, sys, time
path, encoding = sys.argv[1], sys.argv[2]
start = time.process_time()
rows = 0
with open(path, newline='', encoding=encoding) as f:
    for row in csv.reader(f):
        rows += 1
print(rows, time.process_time() - start)
)py";

constexpr const char* kOpenpyxlScript = R"py(import sys, time
try:
    import openpyxl
except ImportError:
    print("absent: python3-openpyxl is not installed (apt-get install python3-openpyxl)")
    sys.exit(0)
start = time.process_time()
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = 0
for row in book.worksheets[0].iter_rows(values_only=True):
    rows += 1
book.close()
print(rows, time.process_time() - start)
)py";

fs::path script(const char* name, const char* text) {
  const fs::path path = work_dir() / name;
  if (!fs::exists(path)) std::ofstream(path) << text;
  return path;
}

BaselineRun run(const fs::path& script_path, const std::string& arguments) {
  BaselineRun result;
  if (!fs::exists(kPython)) {
    result.absent_reason =
        std::string("absent: ") + kPython + " not found (apt-get install python3)";
    return result;
  }
  const std::string command =
      std::string(kPython) + " '" + script_path.string() + "' " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    result.absent_reason = "absent: cannot start " + std::string(kPython);
    return result;
  }
  std::string output;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, n);
  const int status = ::pclose(pipe);
  std::istringstream in(output);
  if (status == 0 && (in >> result.rows >> result.cpu_seconds) && result.cpu_seconds > 0) {
    result.available = true;
  } else {
    const auto line = output.substr(0, output.find('\n'));
    result.absent_reason = line.starts_with("absent") ? line : "absent: baseline failed: " + line;
  }
  return result;
}

}  // namespace

BaselineRun python_csv(const fs::path& file, const std::string& encoding) {
  return run(script("baseline_csv.py", kCsvScript), "'" + file.string() + "' " + encoding);
}

BaselineRun openpyxl_rows(const fs::path& file) {
  return run(script("baseline_openpyxl.py", kOpenpyxlScript), "'" + file.string() + "'");
}

}  // namespace crmsync::bench
