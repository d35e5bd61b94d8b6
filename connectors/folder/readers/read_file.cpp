#include "connectors/folder/readers/read_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "connectors/folder/readers/byte_source.hpp"
#include "connectors/folder/readers/csv_reader.hpp"
#include "connectors/folder/readers/vcard_reader.hpp"
#include "connectors/folder/readers/xls_reader.hpp"
#include "connectors/folder/readers/xlsx_reader.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

std::string lower_extension(const std::filesystem::path& name) {
  std::string ext = name.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool starts_with_vcard(std::string_view head) {
  std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i])))
    ++i;
  std::string word(head.substr(i, 11));
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return word == "BEGIN:VCARD";
}

}  // namespace

std::string_view to_string(FileFormat format) noexcept {
  switch (format) {
    case FileFormat::csv:
      return "csv";
    case FileFormat::xlsx:
      return "xlsx";
    case FileFormat::xls:
      return "xls";
    case FileFormat::vcard:
      return "vcard";
    case FileFormat::unknown:
      break;
  }
  return "unknown";
}

FileFormat detect_format(std::string_view head, const std::filesystem::path& name) {
  const std::string ext = lower_extension(name);
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return FileFormat::xlsx;
  if (head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return FileFormat::xls;
  if (starts_with_vcard(head)) return FileFormat::vcard;
  if (ext == ".xlsx" || ext == ".xlsm") return FileFormat::xlsx;
  if (ext == ".xls") return FileFormat::xls;
  if (ext == ".vcf" || ext == ".vcard") return FileFormat::vcard;
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".tab") return FileFormat::csv;
  return FileFormat::unknown;
}

void read_file(const std::filesystem::path& path, const ReadOptions& options, RecordSink& sink) {
  std::array<char, 512> head{};
  std::size_t n = 0;
  {
    FileByteSource probe(path);
    n = probe.read(head);
  }
  // The daemon reads through /proc/self/fd/N (the descriptor it checked), which has no
  // extension: the file's own name, in options.item, decides the format and names it in errors.
  const std::filesystem::path name =
      options.item.empty() ? path : std::filesystem::path(options.item);
  const std::string file_name = name.filename().string();
  switch (detect_format(std::string_view(head.data(), n), name)) {
    case FileFormat::csv: {
      FileByteSource source(path);
      read_csv(source, file_name, options, sink);
      return;
    }
    case FileFormat::vcard: {
      FileByteSource source(path);
      read_vcard(source, file_name, options, sink);
      return;
    }
    case FileFormat::xlsx:
      read_xlsx(path, options, sink);
      return;
    case FileFormat::xls:
      read_xls(path, options, sink);
      return;
    case FileFormat::unknown:
      break;
  }
  throw Error(ErrorCategory::input,
              file_name + ": not a spreadsheet crmsync reads (CSV, TXT, XLSX, XLS or vCard)");
}

}  // namespace crmsync::folder
