#include "connectors/folder/readers/xlsx_reader.hpp"

#include <algorithm>
#include <unordered_set>

#include "connectors/folder/readers/header_detector.hpp"
#include "connectors/folder/readers/table_assembler.hpp"
#include "connectors/folder/readers/xlsx_parts.hpp"
#include "connectors/folder/readers/xlsx_sheet.hpp"
#include "connectors/folder/readers/zip_archive.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

// Fills merged ranges row by row as the sheet streams; only ranges touching the current row are
// looked at.
class MergeFiller {
 public:
  explicit MergeFiller(std::vector<CellRange> ranges) : ranges_(std::move(ranges)) {
    std::sort(ranges_.begin(), ranges_.end(),
              [](const CellRange& a, const CellRange& b) { return a.first_row < b.first_row; });
  }

  void apply(std::uint32_t row, std::vector<Cell>& cells) {
    while (next_ < ranges_.size() && ranges_[next_].first_row <= row)
      active_.push_back(Active{ranges_[next_++], Cell{}});
    std::erase_if(active_, [row](const Active& a) { return a.range.last_row < row; });
    for (Active& a : active_) {
      const std::size_t left = a.range.first_column - 1;
      if (row == a.range.first_row && left < cells.size()) a.value = cells[left];
      if (a.value.empty()) continue;
      const std::size_t right = std::min<std::size_t>(a.range.last_column, 4096);
      if (cells.size() < right) cells.resize(right);
      for (std::size_t c = left; c < right; ++c)
        if (cells[c].empty()) cells[c] = a.value;
    }
  }

  bool empty() const noexcept { return ranges_.empty(); }

 private:
  struct Active {
    CellRange range;
    Cell value;
  };
  std::vector<CellRange> ranges_;
  std::size_t next_ = 0;
  std::vector<Active> active_;
};

struct Loaded {
  XlsxWorkbook workbook;
  std::vector<bool> date_styles;
  std::vector<std::string> shared_strings;
};

Loaded load(ZipArchive& zip) {
  Loaded loaded;
  loaded.workbook = read_workbook(zip);
  loaded.date_styles = read_date_styles(zip, loaded.workbook.styles_path);
  loaded.shared_strings = read_shared_strings(zip, loaded.workbook.shared_strings_path);
  return loaded;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

const XlsxSheet& choose_sheet(ZipArchive& zip, const Loaded& loaded, const XlsxContext& context,
                              const ReadOptions& options) {
  const auto& sheets = loaded.workbook.sheets;
  if (options.sheet) {
    for (const auto& sheet : sheets)
      if (sheet.name == *options.sheet) return sheet;
    for (const auto& sheet : sheets)
      if (lower(sheet.name) == lower(*options.sheet)) return sheet;
    std::string names;
    for (const auto& sheet : sheets)
      names += (names.empty() ? "'" : ", '") + sheet.name + "'";
    throw Error(ErrorCategory::input,
                "the workbook has no sheet named '" + *options.sheet + "' (it has " + names + ")");
  }
  const std::unordered_set<std::string> hint(options.header_hint.begin(),
                                             options.header_hint.end());
  const XlsxSheet* best = nullptr;
  std::size_t best_score = 0;
  for (const auto& sheet : sheets) {
    if (sheet.hidden) continue;
    std::vector<std::vector<Cell>> rows;
    read_sheet(zip, sheet.path, context, [&](std::uint32_t, std::vector<Cell>&& cells) {
      rows.push_back(std::move(cells));
      return rows.size() < options.limits.header_scan_rows;
    });
    const auto choice = choose_header(rows, hint);
    if (!choice) continue;
    if (!best || choice->score > best_score) {
      best = &sheet;
      best_score = choice->score;
    }
    if (hint.empty()) break;  // no hint: the first visible sheet with data
  }
  if (best) return *best;
  for (const auto& sheet : sheets)
    if (!sheet.hidden) return sheet;
  return sheets.front();
}

// <row><c><v>1</v></c></row>: the shortest row that holds a value.
constexpr std::uint64_t kLeastBytesARow = 24;

void read_workbook_file(ZipArchive& zip, const std::string& file_name, const ReadOptions& options,
                        RecordSink& sink) {
  const Loaded loaded = load(zip);
  XlsxContext context{&loaded.shared_strings, &loaded.date_styles, loaded.workbook.date1904,
                      options.limits.max_columns};
  const XlsxSheet& sheet = choose_sheet(zip, loaded, context, options);
  MergeFiller merges(scan_merged_cells(zip, sheet.path));
  ReadOptions named = options;
  named.item = item_name(options, file_name);
  TableAssembler table(named, TableInfo{"xlsx", "", "", sheet.name}, sink);
  // A row with a value takes some 24 bytes of the sheet at least: a <dimension> that claims more
  // rows than the sheet can hold is believed only that far.
  const auto rows_the_sheet_holds = zip.declared_size(sheet.path) / kLeastBytesARow;
  read_sheet(
      zip, sheet.path, context,
      [&](std::uint32_t row, std::vector<Cell>&& cells) {
        if (!merges.empty()) merges.apply(row, cells);
        table.add_row(row, std::move(cells));
        return true;
      },
      [&](std::uint32_t last_row) {
        table.hint_rows(
            static_cast<std::size_t>(std::min<std::uint64_t>(last_row, rows_the_sheet_holds)));
      });
  table.finish();
}

}  // namespace

void read_xlsx(const std::filesystem::path& path, const ReadOptions& options, RecordSink& sink) {
  ZipArchive zip(path, options.limits);
  read_workbook_file(zip, path.filename().string(), options, sink);
}

void read_xlsx_bytes(std::string_view bytes, const std::string& file_name,
                     const ReadOptions& options, RecordSink& sink) {
  ZipArchive zip(bytes, options.limits);
  read_workbook_file(zip, file_name, options, sink);
}

std::vector<SheetSummary> list_xlsx_sheets(const std::filesystem::path& path,
                                           const ReadLimits& limits) {
  ZipArchive zip(path, limits);
  std::vector<SheetSummary> out;
  for (const auto& sheet : read_workbook(zip).sheets)
    out.push_back({sheet.name, sheet.hidden});
  return out;
}

}  // namespace crmsync::folder
