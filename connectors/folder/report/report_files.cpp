#include "connectors/folder/report/report_files.hpp"

#include "connectors/folder/inbox/inbox_layout.hpp"
#include "connectors/folder/inbox/safe_open.hpp"
#include "connectors/folder/report/atomic_file_writer.hpp"
#include "connectors/folder/report/report_csv_writer.hpp"
#include "connectors/folder/report/report_xlsx_writer.hpp"

namespace crmsync::folder {
namespace {

constexpr std::string_view kXlsxSuffix = ".report.xlsx";
constexpr std::string_view kCsvSuffix = ".report.csv";
// NAME_MAX on Linux filesystems, minus the longest suffix; the temp name of the atomic writer is
// derived from a prefix, so it never limits this.
constexpr std::size_t kMaxBaseBytes = 255 - kXlsxSuffix.size();

}  // namespace

std::string report_base_name(std::string_view relative_path) {
  std::string base;
  for (const char c : relative_path) {
    if (c == '/') {
      base += " - ";
    } else {
      base += c;
    }
  }
  if (base.size() > kMaxBaseBytes) {
    std::size_t cut = kMaxBaseBytes;
    // Step back over UTF-8 continuation bytes so no character is split.
    while (cut > 0 && (static_cast<unsigned char>(base[cut]) & 0xC0) == 0x80)
      --cut;
    base.resize(cut);
  }
  return base;
}

WrittenReport write_report_files(const std::filesystem::path& inbox_root, const std::string& rep,
                                 const std::string& relative_path, std::span<const ReportRow> rows,
                                 ReportFolder folder) {
  const UniqueFd root = open_inbox_root(inbox_root);
  const UniqueFd rep_dir = open_directory_beneath(root.get(), rep);
  const std::string_view folder_name =
      folder == ReportFolder::reports ? kReportsFolder : kFailedFolder;
  const UniqueFd target = open_directory_beneath(rep_dir.get(), folder_name, true);

  const std::string base = report_base_name(relative_path);
  WrittenReport written{std::string(folder_name) + '/' + base + std::string(kXlsxSuffix),
                        std::string(folder_name) + '/' + base + std::string(kCsvSuffix)};
  write_file_atomically(target.get(), base + std::string(kXlsxSuffix), render_report_xlsx(rows));
  write_file_atomically(target.get(), base + std::string(kCsvSuffix), render_report_csv(rows));
  return written;
}

}  // namespace crmsync::folder
