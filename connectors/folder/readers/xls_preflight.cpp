#include "connectors/folder/readers/xls_preflight.hpp"

#include <array>
#include <vector>

#include "connectors/folder/readers/cfb_directory.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

[[noreturn]] void refuse(const std::string& display_name, const std::string& reason) {
  throw Error(ErrorCategory::input, display_name + " is not a readable Excel 97-2003 file: "
                                        + reason + " (damaged or crafted file)");
}

// freexl's get_workbook_stream() reads one directory sector, the first of the chain, at
// (directory_start + 1) * sector_size computed in 32-bit unsigned arithmetic: a huge start sector
// wraps around to an offset inside the file, so the same wrap is done here or the check would
// look at a different sector than freexl does.
std::uint64_t freexl_directory_offset(const CfbHeader& header) {
  return static_cast<std::uint32_t>((header.directory_start + 1u) * header.sector_size);
}

// The bug (libfreexl 1.0.6, parse_dir_entry): each entry's name is converted from UTF-16 with
// iconv using the entry's declared name length as the input size, unchecked. The length is a
// 16-bit field, so a damaged entry makes iconv read up to 64 KiB from freexl's 4 KiB stack
// buffer. [MS-CFB] 2.6.1 caps the length at 64 bytes, the size of the name field; any larger
// value is refused, also in entries after the workbook's (freexl stops at the workbook's entry,
// but such a directory is damaged either way).
void check_directory_names(const std::string& display_name, const CfbHeader& header,
                           const ReadAt& read_at) {
  const std::uint64_t offset = freexl_directory_offset(header);
  std::vector<unsigned char> sector(header.sector_size);
  if (read_at(offset, sector) != sector.size()) return;  // freexl fails its own read first
  for (const CfbDirectoryEntry& entry : parse_cfb_directory_sector(sector)) {
    if (entry.name_bytes <= kCfbMaxNameBytes) continue;
    const std::uint64_t at = offset + entry.index * kCfbDirectoryEntryBytes + 0x40;
    refuse(display_name, "Compound File directory entry " + std::to_string(entry.index)
                             + " declares a " + std::to_string(entry.name_bytes)
                             + "-byte name at byte " + std::to_string(at)
                             + "; a name holds at most 64 bytes");
  }
}

}  // namespace

void preflight_xls(const std::string& display_name, const ReadAt& read_at) {
  std::array<unsigned char, kCfbHeaderBytes> head{};
  if (read_at(0, head) != head.size()) return;  // freexl tries it as BIFF2-4, no directory
  const auto header = parse_cfb_header(head);
  if (!header) return;  // the same
  check_directory_names(display_name, *header, read_at);
}

}  // namespace crmsync::folder
