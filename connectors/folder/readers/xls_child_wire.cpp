#include "connectors/folder/readers/xls_child_wire.hpp"

#include <cstring>

namespace crmsync::folder {
namespace {

// Frame: type byte, payload length (u32, host order: both ends are the same binary), payload.
constexpr char kSheet = 'S';
constexpr char kRow = 'R';
constexpr char kError = 'E';
constexpr char kFinished = 'F';

void put_u32(std::string& out, std::uint32_t value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_text(std::string& out, std::string_view text) {
  put_u32(out, static_cast<std::uint32_t>(text.size()));
  out.append(text);
}

class Cursor {
 public:
  Cursor(std::string_view bytes, const std::string& display_name)
      : bytes_(bytes), name_(display_name) {}
  bool done() const noexcept { return bytes_.empty(); }
  std::string_view take(std::size_t n) {
    if (n > bytes_.size()) malformed();
    const auto part = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return part;
  }
  std::string_view rest() { return take(bytes_.size()); }
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() {
    std::uint32_t value = 0;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  double f64() {
    double value = 0;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  std::string text() { return std::string(take(u32())); }
  [[noreturn]] void malformed() const {
    throw Error(ErrorCategory::input, name_
                                          + " is not a readable Excel 97-2003 file: the .xls "
                                            "parser's child process sent malformed output");
  }

 private:
  std::string_view bytes_;
  const std::string& name_;
};

XlsWireRow decode_row(Cursor& in, std::uint32_t max_columns) {
  XlsWireRow row;
  row.number = in.u32();
  const std::uint32_t count = in.u32();
  if (count > max_columns) in.malformed();
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t column = in.u32();
    if (column >= max_columns || column < row.cells.size()) in.malformed();
    Cell cell;
    const std::uint8_t kind = in.u8();
    if (kind > static_cast<std::uint8_t>(CellKind::error)) in.malformed();
    cell.kind = static_cast<CellKind>(kind);
    cell.number = in.f64();
    cell.text = in.text();
    row.cells.resize(static_cast<std::size_t>(column) + 1);
    row.cells[column] = std::move(cell);
  }
  return row;
}

}  // namespace

void XlsWireWriter::frame(char type, std::string_view payload) {
  bytes_.push_back(type);
  put_u32(bytes_, static_cast<std::uint32_t>(payload.size()));
  bytes_.append(payload);
}

void XlsWireWriter::sheet(std::string_view name) {
  frame(kSheet, name);
}

void XlsWireWriter::row(std::uint32_t number, const std::vector<Cell>& cells) {
  std::string payload;
  put_u32(payload, number);
  std::uint32_t count = 0;
  for (const Cell& cell : cells)
    count += cell.empty() ? 0 : 1;
  put_u32(payload, count);
  for (std::size_t column = 0; column < cells.size(); ++column) {
    const Cell& cell = cells[column];
    if (cell.empty()) continue;
    put_u32(payload, static_cast<std::uint32_t>(column));
    payload.push_back(static_cast<char>(cell.kind));
    payload.append(reinterpret_cast<const char*>(&cell.number), sizeof cell.number);
    put_text(payload, cell.text);
  }
  frame(kRow, payload);
}

void XlsWireWriter::error(ErrorCategory category, std::string_view message) {
  std::string payload(1, static_cast<char>(category));
  payload.append(message);
  frame(kError, payload);
}

void XlsWireWriter::finished() {
  frame(kFinished, {});
}

XlsWireResult decode_xls_wire(std::string_view bytes, const std::string& display_name,
                              std::uint32_t max_columns) {
  XlsWireResult result;
  Cursor in(bytes, display_name);
  bool has_sheet = false;
  while (!in.done()) {
    const char type = static_cast<char>(in.u8());
    Cursor payload(in.take(in.u32()), display_name);
    if (result.finished || result.error) in.malformed();  // nothing may follow the end
    switch (type) {
      case kSheet:
        if (has_sheet) in.malformed();
        has_sheet = true;
        result.sheet = std::string(payload.rest());
        break;
      case kRow:
        if (!has_sheet) in.malformed();
        result.rows.push_back(decode_row(payload, max_columns));
        break;
      case kError: {
        const std::uint8_t category = payload.u8();
        if (category > static_cast<std::uint8_t>(ErrorCategory::permanent)) in.malformed();
        result.error.emplace(static_cast<ErrorCategory>(category), std::string(payload.rest()));
        break;
      }
      case kFinished:
        if (!has_sheet) in.malformed();
        result.finished = true;
        break;
      default:
        in.malformed();
    }
    if (!payload.done()) in.malformed();
  }
  return result;
}

}  // namespace crmsync::folder
