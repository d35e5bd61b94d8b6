// connectors/folder/readers/zip_archive.hpp — read-only access to an XLSX's zip entries with the
// zip-bomb caps enforced while inflating (declared sizes can lie, so bytes are counted as they
// come), never trusting the central directory alone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "connectors/folder/readers/read_options.hpp"

struct zip;

namespace crmsync::folder {

class ZipArchive {
 public:
  // Opens `path`; throws Error(input) when it is not a readable zip or breaks the entry-count cap.
  ZipArchive(const std::filesystem::path& path, const ReadLimits& limits);
  // Opens bytes in memory (fuzzing, tests). `bytes` must outlive the archive.
  ZipArchive(std::string_view bytes, const ReadLimits& limits);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  bool contains(const std::string& name) const;
  // Streams an entry's uncompressed bytes to `chunk` until it returns false (the rest is never
  // inflated); throws Error(input) on a cap, corruption or a CRC that does not match.
  void stream(const std::string& name, const std::function<bool(std::string_view)>& chunk);
  std::string read_all(const std::string& name);
  // The entry's uncompressed size as the archive declares it (0 when it does not): a hint only,
  // never a cap (stream() counts what is really inflated).
  std::uint64_t declared_size(const std::string& name) const;

 private:
  void check_entries();
  // A deflated entry's bytes, CRC-checked once all are out, to `deliver` until it returns false.
  void inflate(const std::string& name, std::uint32_t crc,
               const std::function<bool(std::string_view)>& deliver);
  // The zip-bomb caps, for `size` bytes of `name` inflated so far (throws Error(input)).
  void check_caps(const std::string& name, std::uint64_t total_before, std::uint64_t size,
                  std::uint64_t compressed) const;
  zip* archive_ = nullptr;
  ReadLimits limits_;
  std::uint64_t total_ = 0;
};

}  // namespace crmsync::folder
