#include "connectors/folder/readers/xls_reader.hpp"

#include <freexl.h>

#include <algorithm>
#include <unordered_set>

#include "connectors/folder/readers/byte_source.hpp"
#include "connectors/folder/readers/header_detector.hpp"
#include "connectors/folder/readers/isolated_process.hpp"
#include "connectors/folder/readers/number_format.hpp"
#include "connectors/folder/readers/table_assembler.hpp"
#include "connectors/folder/readers/xls_child_wire.hpp"
#include "connectors/folder/readers/xls_preflight.hpp"
#include "core/error.hpp"
#include "core/io/write_all.hpp"

namespace crmsync::folder {
namespace {

// Trap: freexl_open may set the handle even when it fails; it must be closed either way.
class XlsHandle {
 public:
  explicit XlsHandle(const std::filesystem::path& path) {
    const int rc = freexl_open(path.c_str(), &handle_);
    if (rc != FREEXL_OK) {
      if (handle_) freexl_close(handle_);
      handle_ = nullptr;
      throw Error(ErrorCategory::input, path.filename().string()
                                            + " is not a readable Excel 97-2003 file (freexl error "
                                            + std::to_string(rc) + ")");
    }
  }
  ~XlsHandle() {
    if (handle_) freexl_close(handle_);
  }
  XlsHandle(const XlsHandle&) = delete;
  XlsHandle& operator=(const XlsHandle&) = delete;
  const void* get() const noexcept { return handle_; }

 private:
  const void* handle_ = nullptr;
};

Cell to_cell(const FreeXL_CellValue& value) {
  Cell cell;
  switch (value.type) {
    case FREEXL_CELL_INT:
      cell.kind = CellKind::number;
      cell.number = value.value.int_value;
      cell.text = std::to_string(value.value.int_value);
      break;
    case FREEXL_CELL_DOUBLE:
      cell.kind = CellKind::number;
      cell.number = value.value.double_value;
      cell.text = display_number(value.value.double_value);
      break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
      if (value.value.text_value && *value.value.text_value) {
        cell.kind = CellKind::text;
        cell.text = value.value.text_value;
      }
      break;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
      if (value.value.text_value) {
        cell.kind = CellKind::date;
        cell.text = value.value.text_value;
        if (value.type == FREEXL_CELL_DATETIME && cell.text.size() > 10 && cell.text[10] == ' ')
          cell.text[10] = 'T';  // ISO 8601 as the Record contract says
      }
      break;
    default:
      break;
  }
  return cell;
}

struct Sheet {
  unsigned short index = 0;
  std::string name;
  unsigned int rows = 0;
  unsigned short columns = 0;
};

Sheet select(const void* handle, unsigned short index) {
  Sheet sheet;
  sheet.index = index;
  const char* name = nullptr;
  if (freexl_get_worksheet_name(handle, index, &name) == FREEXL_OK && name) sheet.name = name;
  if (freexl_select_active_worksheet(handle, index) != FREEXL_OK
      || freexl_worksheet_dimensions(handle, &sheet.rows, &sheet.columns) != FREEXL_OK)
    throw Error(ErrorCategory::input, "cannot read worksheet " + sheet.name + " of the .xls file");
  return sheet;
}

std::vector<Cell> read_row(const void* handle, unsigned int row, unsigned short columns,
                           std::uint32_t max_columns) {
  std::vector<Cell> cells;
  const unsigned short width =
      static_cast<unsigned short>(std::min<std::uint32_t>(columns, max_columns));
  for (unsigned short c = 0; c < width; ++c) {
    FreeXL_CellValue value{};
    if (freexl_get_cell_value(handle, row, c, &value) != FREEXL_OK) continue;
    Cell cell = to_cell(value);
    if (cell.empty()) continue;
    if (cells.size() <= c) cells.resize(static_cast<std::size_t>(c) + 1);
    cells[c] = std::move(cell);
  }
  return cells;
}

// Runs in the child: everything that touches libfreexl, from freexl_open to the last cell.
void parse_in_child(const std::filesystem::path& path, const ReadOptions& options, int fd) {
  XlsWireWriter out;
  try {
    XlsHandle xls(path);
    unsigned int count = 0;
    if (freexl_get_info(xls.get(), FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK || count == 0)
      throw Error(ErrorCategory::input, path.filename().string() + " has no worksheets");
    count = std::min(count, 256u);

    std::optional<Sheet> chosen;
    const std::unordered_set<std::string> hint(options.header_hint.begin(),
                                               options.header_hint.end());
    std::size_t best_score = 0;
    for (unsigned short i = 0; i < count; ++i) {
      Sheet sheet = select(xls.get(), i);
      if (options.sheet) {
        if (sheet.name == *options.sheet) {
          chosen = sheet;
          break;
        }
        continue;
      }
      std::vector<std::vector<Cell>> rows;
      for (unsigned int r = 0; r < sheet.rows && r < options.limits.header_scan_rows; ++r)
        rows.push_back(read_row(xls.get(), r, sheet.columns, options.limits.max_columns));
      const auto choice = choose_header(rows, hint);
      if (choice && (!chosen || choice->score > best_score)) {
        chosen = sheet;
        best_score = choice->score;
        if (hint.empty()) break;
      }
    }
    if (!chosen && options.sheet)
      throw Error(ErrorCategory::input, "the workbook has no sheet named '" + *options.sheet + "'");
    if (!chosen) chosen = select(xls.get(), 0);
    select(xls.get(), chosen->index);

    out.sheet(chosen->name);
    for (unsigned int r = 0; r < chosen->rows; ++r) {
      out.row(r + 1, read_row(xls.get(), r, chosen->columns, options.limits.max_columns));
      // Written as it grows so the parent's output cap, not the child's memory, stops a sheet
      // whose few shared strings expand to gigabytes.
      if (out.bytes().size() >= (1u << 20)) {
        if (!write_all(fd, out.bytes())) return;
        out.bytes().clear();
      }
    }
    out.finished();
  } catch (const Error& e) {
    out.error(e.category(), e.what());
  }
  write_all(fd, out.bytes());
}

std::string child_failure(const IsolatedRun& run, const IsolationLimits& limits) {
  switch (run.end) {
    case IsolatedRun::End::deadline_passed:
      return "the .xls parser (libfreexl) did not finish within "
             + std::to_string(limits.deadline.count() / 1000) + " seconds";
    case IsolatedRun::End::output_too_large:
      return "its cells expand to more than " + std::to_string(limits.max_output_bytes >> 20)
             + " MB";
    case IsolatedRun::End::killed_by_signal:
      return "the .xls parser (libfreexl) crashed on it (signal " + std::to_string(run.code) + ")";
    case IsolatedRun::End::exited:
      break;
  }
  return "the .xls parser (libfreexl) failed on it (exit status " + std::to_string(run.code) + ")";
}

}  // namespace

void read_xls(const std::filesystem::path& path, const ReadOptions& options, RecordSink& sink) {
  FileByteSource guard(path);
  const std::string name = path.filename().string();
  if (guard.size() > options.limits.max_file_bytes)
    throw Error(ErrorCategory::input, name + " is larger than the size limit");
  // Refuses what is known to break libfreexl, with the reason; read through the open descriptor.
  preflight_xls(name, [&guard](std::uint64_t offset, std::span<unsigned char> buffer) {
    return guard.read_at(offset, buffer);
  });
  // libfreexl 1.0.6 has more memory bugs on malformed files than a pre-check can know (fuzzing
  // finds new ones within a minute), so it runs in a child: a crash, leak or endless loop there
  // fails this one file.
  const IsolatedRun run =
      run_isolated([&](int fd) { parse_in_child(path, options, fd); }, options.limits.xls_parser);
  if (run.end != IsolatedRun::End::exited || run.code != 0)
    throw Error(ErrorCategory::input, name + " is not a readable Excel 97-2003 file: "
                                          + child_failure(run, options.limits.xls_parser));
  XlsWireResult result = decode_xls_wire(run.output, name, options.limits.max_columns);
  if (result.error) throw *result.error;
  if (!result.finished)
    throw Error(ErrorCategory::input,
                name + " is not a readable Excel 97-2003 file: the .xls parser stopped early");

  ReadOptions named = options;
  named.item = item_name(options, name);
  TableAssembler table(named, TableInfo{"xls", "", "", result.sheet}, sink);
  for (XlsWireRow& row : result.rows)
    table.add_row(row.number, std::move(row.cells));
  table.finish();
  guard.check_unchanged();
}

}  // namespace crmsync::folder
