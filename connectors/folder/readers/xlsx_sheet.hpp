// connectors/folder/readers/xlsx_sheet.hpp — one worksheet streamed row by row with expat (no DOM:
// a sheet of a million rows costs one row of memory). Cells come out typed: shared and inline
// strings, booleans, errors, formulas' cached values, dates by style, numbers as displayed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/xlsx_parts.hpp"

namespace crmsync::folder {

struct XlsxContext {
  const std::vector<std::string>* shared_strings = nullptr;
  const std::vector<bool>* date_styles = nullptr;
  bool date1904 = false;
  std::uint32_t max_columns = 4096;
};

// Called per non-empty <row> with its 1-based number; return false to stop reading the sheet.
using XlsxRowHandler = std::function<bool(std::uint32_t row, std::vector<Cell>&& cells)>;

// `on_dimension`, when given, hears the last row of the sheet's <dimension>: what the program that
// wrote it says the used range is (Excel and LibreOffice write it before the rows). A claim only.
void read_sheet(ZipArchive& zip, const std::string& path, const XlsxContext& context,
                const XlsxRowHandler& on_row,
                const std::function<void(std::uint32_t last_row)>& on_dimension = {});

struct CellRange {
  std::uint32_t first_row = 0, last_row = 0, first_column = 0, last_column = 0;  // 1-based
};

// The sheet's merged ranges. They sit after <sheetData>, so they are found by a byte scan of the
// inflated part (cheap next to XML parsing) before the rows are streamed.
std::vector<CellRange> scan_merged_cells(ZipArchive& zip, const std::string& path);

// "B7" -> column 2, row 7; false when malformed.
bool parse_cell_reference(std::string_view ref, std::uint32_t& column, std::uint32_t& row);

}  // namespace crmsync::folder
