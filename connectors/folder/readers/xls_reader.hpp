// connectors/folder/readers/xls_reader.hpp — legacy Excel 97-2003 workbooks through libfreexl, with
// the same sheet choice and header logic as XLSX. freexl loads a sheet's cells itself, so .xls
// files are bounded by max_file_bytes instead of being streamed. freexl runs in a child process
// (isolated_process.hpp) after a pre-check (xls_preflight.hpp): it is not safe on hostile files.
#pragma once

#include <filesystem>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

void read_xls(const std::filesystem::path& path, const ReadOptions& options, RecordSink& sink);

}  // namespace crmsync::folder
