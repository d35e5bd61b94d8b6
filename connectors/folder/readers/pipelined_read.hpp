// connectors/folder/readers/pipelined_read.hpp — read_file on a second thread while the caller's
// sink takes the records on this one: for a large workbook, unzipping and parsing overlap the
// mapping of what was already read. The sink sees exactly what read_file would hand it, in the
// same order and on the calling thread; what read_file throws is rethrown here, after the
// events that came before it.
#pragma once

#include <filesystem>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

// Falls back to read_file on this thread when no thread can be had.
void read_file_pipelined(const std::filesystem::path& path, const ReadOptions& options,
                         RecordSink& sink);

}  // namespace crmsync::folder
