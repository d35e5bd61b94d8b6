// mappings/preview.hpp — what `crmsync preview FILE` shows: for each table of a file, which column
// feeds which field, the columns nothing reads, the fields no column feeds, each mapped record,
// and each rejected or skipped row with its number, column, value and reason. Needs no CRM.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connectors/record.hpp"
#include "mappings/compiled_mapping.hpp"
#include "mappings/crm_record.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

struct PreviewTable {
  std::string sheet;
  std::uint32_t header_row = 0;
  std::vector<ColumnUse> columns;
  std::vector<MissingSource> missing;
  std::vector<MappedRow> rows;  // in file order
  std::size_t mapped = 0, rejected = 0, skipped = 0;
};

struct Preview {
  std::string mapping;  // its name
  std::string file;     // as the records name it (Provenance::item)
  std::vector<PreviewTable> tables;
};

// Feed it a file's records in order (as a reader's sink would); rows of one header form a table.
class PreviewBuilder {
 public:
  // `options`: the rep's settings, when the file is in their folder of the inbox.
  explicit PreviewBuilder(const Mapping& mapping, CompileOptions options = {});
  ~PreviewBuilder();
  void add(const Record& record);
  Preview finish();

 private:
  const Mapping& mapping_;
  CompileOptions options_;
  Preview preview_;
  std::shared_ptr<const Header> current_header_;
  std::unique_ptr<CompiledMapping> compiled_;
};

Preview build_preview(const Mapping& mapping, const std::vector<Record>& records);

std::string render_preview_text(const Preview& preview);
// One JSON document: { mapping, file, tables: [ { sheet, header_row, columns: [...],
// missing: [...], summary: {mapped, rejected, skipped}, rows: [ { row, outcome, records | reason
// ... } ] } ] }.
std::string render_preview_json(const Preview& preview);

}  // namespace crmsync::mappings
