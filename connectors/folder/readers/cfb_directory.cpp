#include "connectors/folder/readers/cfb_directory.hpp"

#include <algorithm>
#include <array>

namespace crmsync::folder {
namespace {

constexpr std::array<unsigned char, 8> kSignature = {0xD0, 0xCF, 0x11, 0xE0,
                                                     0xA1, 0xB1, 0x1A, 0xE1};
// [MS-CFB] 2.2 and 2.6.1: field offsets in the header and in a directory entry.
constexpr std::size_t kSectorShiftAt = 0x1E;
constexpr std::size_t kDirectoryStartAt = 0x30;
constexpr std::size_t kNameLengthAt = 0x40;

std::uint16_t u16_at(std::span<const unsigned char> bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes[at] | (bytes[at + 1] << 8));
}

std::uint32_t u32_at(std::span<const unsigned char> bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | (static_cast<std::uint32_t>(bytes[at + 1]) << 8)
         | (static_cast<std::uint32_t>(bytes[at + 2]) << 16)
         | (static_cast<std::uint32_t>(bytes[at + 3]) << 24);
}

}  // namespace

std::optional<CfbHeader> parse_cfb_header(std::span<const unsigned char> bytes) {
  if (bytes.size() < kCfbHeaderBytes) return std::nullopt;
  if (!std::equal(kSignature.begin(), kSignature.end(), bytes.begin())) return std::nullopt;
  const std::uint16_t shift = u16_at(bytes, kSectorShiftAt);
  if (shift != 9 && shift != 12) return std::nullopt;
  return CfbHeader{std::uint32_t{1} << shift, u32_at(bytes, kDirectoryStartAt)};
}

std::vector<CfbDirectoryEntry> parse_cfb_directory_sector(std::span<const unsigned char> sector) {
  std::vector<CfbDirectoryEntry> entries;
  for (std::size_t i = 0; (i + 1) * kCfbDirectoryEntryBytes <= sector.size(); ++i) {
    const auto raw = sector.subspan(i * kCfbDirectoryEntryBytes, kCfbDirectoryEntryBytes);
    CfbDirectoryEntry entry;
    entry.index = i;
    entry.name_bytes = u16_at(raw, kNameLengthAt);
    entries.push_back(entry);
  }
  return entries;
}

}  // namespace crmsync::folder
