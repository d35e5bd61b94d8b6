// connectors/folder/readers/read_file.hpp — the folder source's one entry point for a file: detects
// the format (magic bytes first, the extension second) and streams the file's rows to a sink.
#pragma once

#include <filesystem>
#include <string_view>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

enum class FileFormat { csv, xlsx, xls, vcard, unknown };

std::string_view to_string(FileFormat format) noexcept;

// From the first bytes of the file (up to 512 are enough) and its name.
FileFormat detect_format(std::string_view head, const std::filesystem::path& name);

// Reads one file. Throws crmsync::Error(input) when the file as a whole cannot be read (unknown
// format, binary data, zip bomb, corrupt archive), Error(transient) when it changed while read.
// Rows that cannot be read go to sink.on_row_error and reading goes on.
void read_file(const std::filesystem::path& path, const ReadOptions& options, RecordSink& sink);

}  // namespace crmsync::folder
