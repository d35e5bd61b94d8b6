// connectors/folder/readers/xlsx_parts.hpp — the small XLSX parts read whole before any sheet:
// the workbook (sheet list, hidden state, date system), its relationships (where each part is),
// the styles (which cell formats are dates) and the shared strings table.
#pragma once

#include <string>
#include <vector>

#include "connectors/folder/readers/zip_archive.hpp"

namespace crmsync::folder {

struct XlsxSheet {
  std::string name;
  std::string path;  // zip entry, e.g. "xl/worksheets/sheet1.xml"
  bool hidden = false;
};

struct XlsxWorkbook {
  std::vector<XlsxSheet> sheets;  // in tab order
  bool date1904 = false;
  std::string shared_strings_path;  // empty when the workbook has none
  std::string styles_path;
};

// Throws Error(input) when the archive is a zip but not a workbook ("a zip of something else").
XlsxWorkbook read_workbook(ZipArchive& zip);

// Per cellXfs index: whether cells with that style show a date.
std::vector<bool> read_date_styles(ZipArchive& zip, const std::string& path);

// Shared strings, rich text runs concatenated, phonetic runs left out.
std::vector<std::string> read_shared_strings(ZipArchive& zip, const std::string& path);

}  // namespace crmsync::folder
