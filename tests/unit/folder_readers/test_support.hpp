// tests/unit/folder_readers/test_support.hpp — a sink that keeps everything, temp files, and a
// minimal XLSX writer (libzip) so tests build exactly the workbook they need.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"
#include "tests/support/scratch_dir.hpp"

namespace crmsync::folder::testing {

struct CollectingSink final : RecordSink {
  std::vector<TableInfo> tables;
  std::vector<std::shared_ptr<const Header>> headers;
  std::vector<Record> records;
  std::vector<RowError> errors;

  void on_table(const TableInfo& info, std::shared_ptr<const Header> header) override {
    tables.push_back(info);
    headers.push_back(std::move(header));
  }
  void on_record(Record&& record) override { records.push_back(std::move(record)); }
  void on_row_error(RowError&& error) override { errors.push_back(std::move(error)); }

  // The text of `column` (by header name) in `record`, "" when absent.
  static std::string cell(const Record& record, const std::string& column);
  const Record* row(std::uint32_t number) const;
};

// A scratch folder (tests/support) that files are written into.
class TempDir {
 public:
  const std::filesystem::path& path() const noexcept { return scratch_.path(); }
  std::filesystem::path write(const std::string& name, const std::string& bytes) const;

 private:
  test_support::ScratchDir scratch_{"readers"};
};

// Writes a zip with these entries (name -> content), deflated.
void write_zip(const std::filesystem::path& path,
               const std::map<std::string, std::string>& entries);

// A complete minimal workbook: sheets given as (name, sheetData inner XML, extra XML after
// sheetData such as <mergeCells>), optional hidden flags, styles and shared strings.
struct XlsxSheetSpec {
  std::string name;
  std::string rows;  // <row ...>...</row>...
  std::string after_data;
  bool hidden = false;
};
std::map<std::string, std::string> xlsx_entries(const std::vector<XlsxSheetSpec>& sheets,
                                                const std::string& styles_xml = "",
                                                const std::string& shared_strings_xml = "",
                                                bool date1904 = false);

std::vector<std::string> contact_hint();

}  // namespace crmsync::folder::testing
