// connectors/folder/readers/xlsx_reader.hpp — Excel 2007+ workbooks (libzip + expat, streaming).
// Reads one worksheet: the one named in ReadOptions::sheet, else the visible sheet whose header
// best matches the hint (the first visible sheet with data when there is no hint). Merged cells
// give every cell of their range the top-left value, so a company merged down a block of contact
// rows belongs to each of those rows.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

void read_xlsx(const std::filesystem::path& path, const ReadOptions& options, RecordSink& sink);
// The same from bytes in memory (fuzzing, tests); `file_name` names it in provenance and errors.
void read_xlsx_bytes(std::string_view bytes, const std::string& file_name,
                     const ReadOptions& options, RecordSink& sink);

struct SheetSummary {
  std::string name;
  bool hidden = false;
};
// The worksheets in tab order, for previews.
std::vector<SheetSummary> list_xlsx_sheets(const std::filesystem::path& path,
                                           const ReadLimits& limits);

}  // namespace crmsync::folder
