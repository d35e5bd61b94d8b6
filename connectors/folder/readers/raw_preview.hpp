// connectors/folder/readers/raw_preview.hpp — what crmsync sees in a file before any mapping, for
// `crmsync preview FILE --raw [--json]`: format, encoding, delimiter, sheets, the header row, and
// every row with its number and cells by column name, plus the rows that could not be read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "connectors/folder/readers/read_options.hpp"

namespace crmsync::folder {

struct PreviewTable {
  std::string sheet;
  std::uint32_t header_row = 0;
  std::vector<std::string> columns;
  struct Row {
    std::uint32_t row = 0;
    std::vector<Cell> cells;
  };
  std::vector<Row> rows;
  struct Error {
    std::uint32_t row = 0;
    std::uint32_t column = 0;
    std::string reason;
  };
  std::vector<Error> errors;
};

struct RawPreview {
  std::string file;
  std::string format;     // csv, xlsx, xls, vcard
  std::string encoding;   // text formats only
  std::string delimiter;  // CSV only ("\t" shown as \t)
  struct Sheet {
    std::string name;
    bool hidden = false;
  };
  std::vector<Sheet> sheets;  // XLSX: every worksheet, so a rep sees which one was read
  std::vector<PreviewTable> tables;
  bool truncated = false;  // more than max_rows rows; the rest were read but not kept
};

// Reads the file as the daemon would. max_rows = 0 keeps every row. Throws crmsync::Error like
// read_file when the file cannot be read at all.
RawPreview raw_preview(const std::filesystem::path& path, const ReadOptions& options,
                       std::size_t max_rows = 0);

std::string render_text(const RawPreview& preview);
// {"file":..,"format":..,"encoding":..,"delimiter":..,"sheets":[{"name":..,"hidden":..}],
//  "tables":[{"sheet":..,"header_row":N,"columns":[..],"rows":[{"row":N,"cells":{"col":"v"}}],
//  "errors":[{"row":N,"column":C,"reason":..}]}],"truncated":false}
// Cells are keyed by column name; a repeated name gets " (2)", " (3)"...; cells past the header
// are keyed "Column N". Empty cells are left out.
std::string render_json(const RawPreview& preview);

// A JSON string literal for UTF-8 text (quotes, backslashes and control characters escaped).
std::string json_string(std::string_view text);

}  // namespace crmsync::folder
