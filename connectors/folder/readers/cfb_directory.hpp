// connectors/folder/readers/cfb_directory.hpp — the header and directory entries of a Compound
// File (CFB / OLE2, the container of legacy .xls), parsed from bytes with every offset checked.
// Only what the .xls pre-check needs: no FAT walking, no stream reading. Hand-rolled because the
// well-kept CFB readers (libgsf, POLE) would be a second large dependency for 64 bytes of fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace crmsync::folder {

inline constexpr std::size_t kCfbHeaderBytes = 512;
inline constexpr std::size_t kCfbDirectoryEntryBytes = 128;
// A directory entry's name field: 32 UTF-16 code units including the terminator.
inline constexpr std::uint16_t kCfbMaxNameBytes = 64;

struct CfbHeader {
  std::uint32_t sector_size = 0;      // 512 or 4096
  std::uint32_t directory_start = 0;  // first sector of the directory chain
};

struct CfbDirectoryEntry {
  std::size_t index = 0;         // position within the sector
  std::uint16_t name_bytes = 0;  // the declared name length, untrusted: may exceed the field
};

// The header's fields, or nullopt when `bytes` does not start with the CFB signature or declares
// a sector size other than 512 or 4096 bytes.
std::optional<CfbHeader> parse_cfb_header(std::span<const unsigned char> bytes);

// The entries of one directory sector (a trailing partial entry is ignored).
std::vector<CfbDirectoryEntry> parse_cfb_directory_sector(std::span<const unsigned char> sector);

}  // namespace crmsync::folder
