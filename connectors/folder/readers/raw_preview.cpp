#include "connectors/folder/readers/raw_preview.hpp"

#include <fmt/format.h>

#include <map>

#include "connectors/folder/readers/read_file.hpp"
#include "connectors/folder/readers/xlsx_reader.hpp"
#include "core/text/json_writer.hpp"

namespace crmsync::folder {
namespace {

class PreviewSink final : public RecordSink {
 public:
  PreviewSink(RawPreview& preview, std::size_t max_rows) : preview_(preview), max_rows_(max_rows) {}

  void on_table(const TableInfo& info, std::shared_ptr<const Header> header) override {
    preview_.format = info.format;
    preview_.encoding = info.encoding;
    preview_.delimiter = info.delimiter;
    PreviewTable table;
    table.sheet = info.sheet;
    table.header_row = header->row;
    table.columns = header->columns;
    preview_.tables.push_back(std::move(table));
  }
  void on_record(Record&& record) override {
    if (max_rows_ != 0 && kept_ >= max_rows_) {
      preview_.truncated = true;
      return;
    }
    ++kept_;
    preview_.tables.back().rows.push_back({record.from.row, std::move(record.cells)});
  }
  void on_row_error(RowError&& error) override {
    preview_.tables.back().errors.push_back(
        {error.from.row, error.column, std::move(error.reason)});
  }

 private:
  RawPreview& preview_;
  std::size_t max_rows_;
  std::size_t kept_ = 0;
};

std::vector<std::string> unique_keys(const std::vector<std::string>& columns, std::size_t width) {
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < width; ++i) {
    std::string key = i < columns.size() ? columns[i] : "Column " + std::to_string(i + 1);
    const int n = ++seen[key];
    if (n > 1) key += " (" + std::to_string(n) + ")";
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

RawPreview raw_preview(const std::filesystem::path& path, const ReadOptions& options,
                       std::size_t max_rows) {
  RawPreview preview;
  preview.file = path.filename().string();
  PreviewSink sink(preview, max_rows);
  read_file(path, options, sink);
  if (preview.format == "xlsx")
    for (const auto& sheet : list_xlsx_sheets(path, options.limits))
      preview.sheets.push_back({sheet.name, sheet.hidden});
  return preview;
}

// One JSON escaping for the whole project (core/text/json_writer.hpp).
std::string json_string(std::string_view text) {
  return json_string_literal(text);
}

std::string render_json(const RawPreview& p) {
  std::string out = "{\"file\":" + json_string(p.file) + ",\"format\":" + json_string(p.format)
                    + ",\"encoding\":" + json_string(p.encoding) + ",\"delimiter\":"
                    + json_string(p.delimiter == "\\t" ? "\t" : p.delimiter) + ",\"sheets\":[";
  for (std::size_t i = 0; i < p.sheets.size(); ++i)
    out += fmt::format("{}{{\"name\":{},\"hidden\":{}}}", i ? "," : "",
                       json_string(p.sheets[i].name), p.sheets[i].hidden);
  out += "],\"tables\":[";
  for (std::size_t t = 0; t < p.tables.size(); ++t) {
    const PreviewTable& table = p.tables[t];
    out += fmt::format("{}{{\"sheet\":{},\"header_row\":{},\"columns\":[", t ? "," : "",
                       json_string(table.sheet), table.header_row);
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      out += (i ? "," : "") + json_string(table.columns[i]);
    out += "],\"rows\":[";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const auto& row = table.rows[r];
      const auto keys = unique_keys(table.columns, row.cells.size());
      out += fmt::format("{}{{\"row\":{},\"cells\":{{", r ? "," : "", row.row);
      bool first = true;
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        if (row.cells[c].empty()) continue;
        out += (first ? "" : ",") + json_string(keys[c]) + ":" + json_string(row.cells[c].text);
        first = false;
      }
      out += "}}";
    }
    out += "],\"errors\":[";
    for (std::size_t e = 0; e < table.errors.size(); ++e)
      out += fmt::format("{}{{\"row\":{},\"column\":{},\"reason\":{}}}", e ? "," : "",
                         table.errors[e].row, table.errors[e].column,
                         json_string(table.errors[e].reason));
    out += "]}";
  }
  out += fmt::format("],\"truncated\":{}}}", p.truncated);
  return out;
}

std::string render_text(const RawPreview& p) {
  std::string out = fmt::format("file:      {}\nformat:    {}\n", p.file, p.format);
  if (!p.encoding.empty()) out += fmt::format("encoding:  {}\n", p.encoding);
  if (!p.delimiter.empty()) out += fmt::format("delimiter: {}\n", p.delimiter);
  for (const auto& sheet : p.sheets)
    out += fmt::format("sheet:     {}{}\n", sheet.name, sheet.hidden ? " (hidden)" : "");
  for (const auto& table : p.tables) {
    out += "\n";
    if (!table.sheet.empty()) out += fmt::format("[{}]\n", table.sheet);
    out += table.header_row ? fmt::format("header row {}:", table.header_row)
                            : std::string("columns (synthesized):");
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      out += fmt::format("{} {}", i ? " |" : "", table.columns[i]);
    out += "\n";
    for (const auto& row : table.rows) {
      const auto keys = unique_keys(table.columns, row.cells.size());
      out += fmt::format("row {}:\n", row.row);
      for (std::size_t c = 0; c < row.cells.size(); ++c)
        if (!row.cells[c].empty())
          out += fmt::format("  {}: {}\n", keys[c], json_string(row.cells[c].text));
    }
    for (const auto& error : table.errors)
      out += error.column ? fmt::format("row {} column {}: cannot read: {}\n", error.row,
                                        error.column, error.reason)
                          : fmt::format("row {}: cannot read: {}\n", error.row, error.reason);
  }
  if (p.truncated) out += "(more rows not shown)\n";
  return out;
}

}  // namespace crmsync::folder
