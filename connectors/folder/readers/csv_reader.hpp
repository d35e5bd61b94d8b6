// connectors/folder/readers/csv_reader.hpp — CSV and Excel "Unicode Text" files: detects the
// encoding and the delimiter, decodes and parses chunk by chunk, finds the header, streams rows.
#pragma once

#include <string>

#include "connectors/folder/readers/byte_source.hpp"
#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

// Whole-file problems (binary content, a row beyond the size cap, the file changing underneath)
// throw crmsync::Error; a row that cannot be read becomes a RowError and the rest goes on.
void read_csv(ByteSource& source, const std::string& file_name, const ReadOptions& options,
              RecordSink& sink);

}  // namespace crmsync::folder
