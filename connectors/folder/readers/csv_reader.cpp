#include "connectors/folder/readers/csv_reader.hpp"

#include <cstring>
#include <optional>
#include <vector>

#include "connectors/folder/readers/csv_parser.hpp"
#include "connectors/folder/readers/delimiter_sniffer.hpp"
#include "connectors/folder/readers/encoding_detector.hpp"
#include "connectors/folder/readers/table_assembler.hpp"
#include "connectors/folder/readers/text_decoder.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

constexpr std::size_t kChunk = 1u << 20;
constexpr std::size_t kSample = 64u << 10;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string delimiter_name(char d) {
  return d == '\t' ? "\\t" : std::string(1, d);
}

// Fills `buffer` (kept at kChunk bytes, so it is never zero-filled again) from `source`; returns
// how many bytes it holds, fewer than kChunk only at the end of the source.
std::size_t read_chunk(ByteSource& source, std::string& buffer, std::uint64_t& total,
                       std::uint64_t max_bytes) {
  if (buffer.size() < kChunk) buffer.resize(kChunk);
  std::size_t filled = 0;
  while (filled < kChunk) {
    const std::size_t n = source.read(std::span<char>(buffer.data() + filled, kChunk - filled));
    if (n == 0) break;
    filled += n;
  }
  total += filled;
  if (total > max_bytes)
    throw Error(ErrorCategory::input,
                "file is larger than " + std::to_string(max_bytes >> 20) + " MB");
  return filled;
}

class CsvRowConverter {
 public:
  CsvRowConverter(TableAssembler& table, const TextDecoder& decoder)
      : table_(table), decoder_(decoder) {}

  void set_suspicious(bool suspicious) { suspicious_ = suspicious; }

  void operator()(CsvRow&& row) {
    if (!row.error.empty()) {
      table_.add_error(row.row, row.error_column, std::move(row.error));
      return;
    }
    // Only when the decoder replaced bytes, or a NUL went by, is a row inspected byte by byte.
    if (suspicious_ || decoder_.substitutions() > 0) {
      for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const std::string& f = row.cells[i].text;
        const auto column = static_cast<std::uint32_t>(i + 1);
        if (f.find('\0') != std::string::npos) {
          table_.add_error(row.row, column, "contains a NUL byte: binary data, not text");
          return;
        }
        if (decoder_.substitutions() > 0 && f.find(kReplacement) != std::string::npos) {
          table_.add_error(row.row, column,
                           "contains bytes that are not valid text in the file's encoding");
          return;
        }
      }
    }
    table_.add_row(row.row, std::move(row.cells));
  }

 private:
  TableAssembler& table_;
  const TextDecoder& decoder_;
  bool suspicious_ = false;
};

}  // namespace

void read_csv(ByteSource& source, const std::string& file_name, const ReadOptions& options,
              RecordSink& sink) {
  const ReadLimits& limits = options.limits;
  std::uint64_t total = 0;
  std::string raw;
  std::size_t filled = read_chunk(source, raw, total, limits.max_file_bytes);
  bool at_end = filled < kChunk;
  const std::string_view first(raw.data(), filled);
  const DetectedEncoding encoding = detect_encoding(first.substr(0, kSample), at_end);
  const bool utf16 =
      encoding.encoding == TextEncoding::utf16le || encoding.encoding == TextEncoding::utf16be;
  // Text never holds NUL bytes (UTF-16 aside, where they are half of every ASCII character).
  if (!utf16 && std::memchr(first.data(), '\0', std::min(first.size(), kSample)) != nullptr)
    throw Error(ErrorCategory::input,
                file_name + " is not a text file (it contains NUL bytes): save it as CSV");

  TextDecoder decoder(encoding.encoding);
  std::string_view text = decoder.decode(first.substr(encoding.bom_bytes), at_end);
  if (utf16 && std::memchr(text.data(), '\0', text.size()) != nullptr)
    throw Error(ErrorCategory::input,
                file_name + " is not a text file (it contains NUL characters)");

  const SniffedDelimiter sniffed = sniff_delimiter(text.substr(0, std::min(text.size(), kSample)));
  ReadOptions named = options;
  named.item = item_name(options, file_name);
  TableAssembler table(
      named, TableInfo{"csv", encoding.name, delimiter_name(sniffed.delimiter), ""}, sink);
  CsvRowConverter converter(table, decoder);
  CsvParser parser(sniffed.delimiter, limits.max_record_bytes, limits.max_columns,
                   [&converter](CsvRow&& row) { converter(std::move(row)); });

  text.remove_prefix(std::min(text.size(), sniffed.skip_bytes));
  for (;;) {
    if (std::memchr(text.data(), '\0', text.size()) != nullptr) converter.set_suspicious(true);
    parser.feed(text);
    if (at_end) break;
    filled = read_chunk(source, raw, total, limits.max_file_bytes);
    at_end = filled < kChunk;
    text = decoder.decode(std::string_view(raw.data(), filled), at_end);
  }
  parser.finish();
  table.finish();
  source.check_unchanged();
}

}  // namespace crmsync::folder
