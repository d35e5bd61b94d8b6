#include "connectors/folder/readers/xlsx_sheet.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "connectors/folder/readers/number_format.hpp"
#include "connectors/folder/readers/xml_scanner.hpp"

namespace crmsync::folder {
namespace {

// The t attribute of <c>; expat's attribute strings die with the start handler, so it is kept as
// an enum.
enum class CellType : std::uint8_t {
  number,
  shared,
  inline_string,
  formula_string,
  boolean,
  error,
  iso_date
};

CellType cell_type(const char* t) {
  if (!t) return CellType::number;
  const std::string_view v(t);
  if (v == "s") return CellType::shared;
  if (v == "inlineStr") return CellType::inline_string;
  if (v == "str") return CellType::formula_string;
  if (v == "b") return CellType::boolean;
  if (v == "e") return CellType::error;
  if (v == "d") return CellType::iso_date;
  return CellType::number;
}

// `text` as a whole number when it is written the way display_number() writes one back (no sign
// but '-', no leading zero, at most 15 digits, so exact in a double): ids, phones and counts, most
// of a sheet's numbers. Their text is then kept as written instead of parsed and formatted again.
bool canonical_integer(std::string_view text, std::int64_t& value) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits = text.substr(negative ? 1 : 0);
  if (digits.empty() || digits.size() > 15) return false;
  if (digits[0] == '0' && (digits.size() > 1 || negative)) return false;  // "007", "-0"
  std::int64_t whole = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return false;
    whole = whole * 10 + (c - '0');
  }
  value = negative ? -whole : whole;
  return true;
}

// std::from_chars first (GCC 12's is several times faster than strtod); strtod for what it alone
// accepts (a leading '+' or space, hex floats), so the cells read are the same as before.
bool parse_number(const std::string& text, double& number) {
  const char* const first = text.data();
  const char* const last = first + text.size();
  const auto parsed = std::from_chars(first, last, number);
  if (parsed.ec == std::errc() && parsed.ptr == last) return true;
  char* end = nullptr;
  number = std::strtod(first, &end);
  return end != first && *end == '\0';
}

class SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const XlsxContext& context, const XlsxRowHandler& on_row,
               const std::function<void(std::uint32_t)>& on_dimension)
      : context_(context), on_row_(on_row), on_dimension_(on_dimension) {}
  void set_stop(std::function<void()> stop) { stop_ = std::move(stop); }

  void start(std::string_view name, const char** attributes) override {
    if (name == "c") {
      start_cell(attributes);
    } else if (name == "v" && in_cell_) {
      capture_ = true;
    } else if (name == "t" && in_inline_) {
      capture_ = true;
    } else if (name == "is" && in_cell_) {
      in_inline_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "dimension" && on_dimension_) {
      // ref="A1:E100001", or one cell ("A1") for a sheet of one.
      if (const char* ref = xml_attribute(attributes, "ref")) {
        std::string_view range(ref);
        if (const auto colon = range.find(':'); colon != std::string_view::npos)
          range.remove_prefix(colon + 1);
        std::uint32_t column = 0, last_row = 0;
        if (parse_cell_reference(range, column, last_row)) on_dimension_(last_row);
      }
    } else if (name == "row") {
      const char* r = xml_attribute(attributes, "r");
      std::uint32_t number = 0;
      if (r) std::from_chars(r, r + std::strlen(r), number);
      row_ = number > 0 ? number : row_ + 1;
      cells_.clear();
      cells_.reserve(width_);  // the last row's width: one allocation, not one per cell
      column_ = 0;
    }
  }

  void end(std::string_view name) override {
    if (name == "v" || name == "t") {
      capture_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh" && phonetic_ > 0) {
      --phonetic_;
    } else if (name == "c" && in_cell_) {
      end_cell();
    } else if (name == "row") {
      width_ = cells_.size();
      if (!cells_.empty() && !on_row_(row_, std::move(cells_)) && stop_) stop_();
      cells_.clear();
    }
  }

  void text(std::string_view s) override {
    if (capture_ && phonetic_ == 0) value_.append(s);
  }

 private:
  // One pass over the attributes: this runs for every cell of the sheet.
  void start_cell(const char** attributes) {
    in_cell_ = true;
    value_.clear();
    const char* ref = nullptr;
    const char* t = nullptr;
    style_ = 0;
    for (const char** a = attributes; a[0]; a += 2) {
      if (a[0][0] == 'r' && a[0][1] == '\0')
        ref = a[1];
      else if (a[0][0] == 't' && a[0][1] == '\0')
        t = a[1];
      else if (a[0][0] == 's' && a[0][1] == '\0')
        style_ = std::atoi(a[1]);
    }
    std::uint32_t column = 0, row = 0;
    column_ = ref && parse_cell_reference(ref, column, row) ? column : column_ + 1;
    type_ = cell_type(t);
  }

  void end_cell() {
    in_cell_ = false;
    if (column_ == 0 || column_ > context_.max_columns) return;
    Cell cell = make_cell();
    if (cell.kind == CellKind::empty) return;
    // Cells come left to right: the usual one is appended where it belongs.
    if (cells_.size() + 1 == column_) {
      cells_.push_back(std::move(cell));
      return;
    }
    if (cells_.size() < column_) cells_.resize(column_);
    cells_[column_ - 1] = std::move(cell);
  }

  Cell make_cell() {
    Cell cell;
    if (type_ == CellType::shared) {
      const auto& strings = *context_.shared_strings;
      std::size_t index = 0;
      bool parsed =
          std::from_chars(value_.data(), value_.data() + value_.size(), index).ptr != value_.data();
      if (!parsed) {  // strtoul's leniency (leading spaces, '+'), as before
        char* end = nullptr;
        index = std::strtoul(value_.c_str(), &end, 10);
        parsed = end != value_.c_str();
      }
      if (parsed && index < strings.size() && !strings[index].empty()) {
        cell.kind = CellKind::text;
        cell.text = strings[index];
      }
    } else if (type_ == CellType::inline_string || type_ == CellType::formula_string) {
      if (!value_.empty()) {
        cell.kind = CellKind::text;
        cell.text = std::move(value_);
      }
    } else if (type_ == CellType::boolean) {
      if (!value_.empty()) {
        cell.kind = CellKind::boolean;
        cell.number = value_ == "1" ? 1 : 0;
        cell.text = value_ == "1" ? "TRUE" : "FALSE";
      }
    } else if (type_ == CellType::error) {
      cell.kind = CellKind::error;
      cell.text = std::move(value_);
    } else if (type_ == CellType::iso_date) {
      if (!value_.empty()) {
        cell.kind = CellKind::date;
        cell.text = std::move(value_);
      }
    } else if (!value_.empty()) {  // "n", a formula's cached number, or no type at all
      if (std::int64_t whole = 0; !is_date_style() && canonical_integer(value_, whole)) {
        cell.kind = CellKind::number;
        cell.number = static_cast<double>(whole);
        cell.text = std::move(value_);
        return cell;
      }
      double number = 0;
      if (!parse_number(value_, number)) {
        cell.kind = CellKind::text;  // not a number after all: keep what is written
        cell.text = std::move(value_);
        return cell;
      }
      cell.number = number;
      const bool date = is_date_style();
      cell.kind = date ? CellKind::date : CellKind::number;
      cell.text = date ? serial_to_iso(number, context_.date1904) : display_number(number);
    }
    return cell;
  }

  bool is_date_style() const {
    const auto& dates = *context_.date_styles;
    return style_ >= 0 && static_cast<std::size_t>(style_) < dates.size()
           && dates[static_cast<std::size_t>(style_)];
  }

  const XlsxContext& context_;
  const XlsxRowHandler& on_row_;
  const std::function<void(std::uint32_t)>& on_dimension_;
  std::function<void()> stop_;
  std::vector<Cell> cells_;
  std::uint32_t row_ = 0;
  std::uint32_t column_ = 0;
  std::size_t width_ = 0;  // cells in the last row
  CellType type_ = CellType::number;
  int style_ = 0;
  std::string value_;
  bool in_cell_ = false;
  bool in_inline_ = false;
  bool capture_ = false;
  int phonetic_ = 0;
};

}  // namespace

bool parse_cell_reference(std::string_view ref, std::uint32_t& column, std::uint32_t& row) {
  std::size_t i = 0;
  std::uint64_t col = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 4)
    col = col * 26 + static_cast<std::uint64_t>(ref[i++] - 'A' + 1);
  if (col == 0 || i == ref.size()) return false;
  // The digits by hand (every cell has a reference): what std::from_chars into a uint32 accepts.
  std::uint64_t r = 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return false;
    r = r * 10 + static_cast<std::uint64_t>(ref[i] - '0');
    if (r > UINT32_MAX) return false;
  }
  if (r == 0) return false;
  column = static_cast<std::uint32_t>(col);
  row = static_cast<std::uint32_t>(r);
  return true;
}

void read_sheet(ZipArchive& zip, const std::string& path, const XlsxContext& context,
                const XlsxRowHandler& on_row,
                const std::function<void(std::uint32_t last_row)>& on_dimension) {
  SheetHandler handler(context, on_row, on_dimension);
  XmlScanner xml(handler, path);  // not XmlStream: see xml_scanner.hpp for why
  handler.set_stop([&xml] { xml.stop(); });
  zip.stream(path, [&xml](std::string_view chunk) {
    xml.feed(chunk, false);
    return !xml.stopped();
  });
  if (!xml.stopped()) xml.feed({}, true);
}

std::vector<CellRange> scan_merged_cells(ZipArchive& zip, const std::string& path) {
  std::vector<CellRange> ranges;
  std::string window;  // carries a partial tag across chunk boundaries
  constexpr std::string_view kTag = "mergeCell ";
  auto scan = [&](bool last) {
    std::size_t pos = 0;
    std::size_t unclosed = std::string::npos;
    for (;;) {
      const std::size_t hit = window.find(kTag, pos);
      if (hit == std::string::npos) break;
      const std::size_t close = window.find('>', hit);
      if (close == std::string::npos) {
        // A real merge tag is short; a "tag" that never closes is not one (and must not make the
        // window grow without bound).
        if (window.size() - hit > 4096) {
          pos = hit + kTag.size();
          continue;
        }
        unclosed = hit;
        break;
      }
      const std::string_view tag = std::string_view(window).substr(hit, close - hit);
      if (const auto ref = tag.find("ref=\""); ref != std::string_view::npos) {
        const auto value = tag.substr(ref + 5, tag.find('"', ref + 5) - ref - 5);
        const auto colon = value.find(':');
        CellRange range;
        if (colon != std::string_view::npos
            && parse_cell_reference(value.substr(0, colon), range.first_column, range.first_row)
            && parse_cell_reference(value.substr(colon + 1), range.last_column, range.last_row)
            && range.first_row <= range.last_row && range.first_column <= range.last_column)
          ranges.push_back(range);
      }
      pos = close + 1;
    }
    if (last) return;
    // Keep only what may hold the start of a tag cut by the chunk boundary.
    const std::size_t tail = window.size() > kTag.size() ? window.size() - kTag.size() : 0;
    window.erase(0, unclosed != std::string::npos ? unclosed : std::max(pos, tail));
  };
  zip.stream(path, [&](std::string_view chunk) {
    // The rows before <mergeCells> are most of the sheet: a chunk without the tag (nor one cut at
    // its start) is searched where it lies, and only its last bytes are kept.
    if (window.size() < kTag.size()) {
      const std::string junction = window + std::string(chunk.substr(0, kTag.size() - 1));
      if (junction.find(kTag) == std::string::npos && chunk.find(kTag) == std::string_view::npos) {
        window.assign(
            chunk.size() >= kTag.size() - 1
                ? chunk.substr(chunk.size() - kTag.size() + 1)
                : junction.substr(junction.size() - std::min(junction.size(), kTag.size() - 1)));
        return true;
      }
    }
    window.append(chunk);
    scan(false);
    return true;
  });
  scan(true);
  return ranges;
}

}  // namespace crmsync::folder
