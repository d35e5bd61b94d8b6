// bench/folder_readers/bench_inputs.hpp — the generated files every reader benchmark reads (ours
// and the Python baselines read the very same files): contact-shaped CSV rows in UTF-8,
// Windows-1252 and UTF-16LE, and a 10-column XLSX with shared strings and numbers. Files are
// written row by row, so generating them does not inflate any memory figure.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace crmsync::bench {

// A temporary folder for this process, removed at exit.
const std::filesystem::path& work_dir();

// `encoding`: "utf8", "cp1252" or "utf16le" (with a BOM, as Excel's "Unicode Text").
std::filesystem::path csv_file(const std::string& name, std::size_t rows,
                               const std::string& encoding);

// A workbook with one sheet: a header row, then `rows` rows of 10 cells (shared strings and
// 10-digit numbers alternating).
std::filesystem::path xlsx_file(const std::string& name, std::size_t rows);

}  // namespace crmsync::bench
