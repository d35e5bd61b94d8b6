// bench/folder_readers/python_baseline.hpp — the baselines our readers are compared with, run in
// the same benchmark process on the same files: Python's csv module and openpyxl in read-only
// mode, both under Debian's /usr/bin/python3 (the python3 on PATH may be another build without
// Debian's packages). The time is the script's own CPU time around the read, so interpreter start
// and imports are not counted against Python.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace crmsync::bench {

struct BaselineRun {
  bool available = false;
  std::string absent_reason;  // when !available: what is missing (and the apt package)
  std::size_t rows = 0;
  double cpu_seconds = 0;
};

// Every row through csv.reader; `encoding` is Python's codec name ("utf-8", "cp1252", "utf-16").
BaselineRun python_csv(const std::filesystem::path& file, const std::string& encoding);

// Every row of the first sheet through openpyxl.load_workbook(read_only=True).iter_rows.
BaselineRun openpyxl_rows(const std::filesystem::path& file);

}  // namespace crmsync::bench
