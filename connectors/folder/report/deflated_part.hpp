// connectors/folder/report/deflated_part.hpp — one part of the XLSX report, deflated here with
// libdeflate and handed to libzip as data already compressed: its source says so (method, sizes,
// CRC), and libzip stores the bytes as they are. libzip deflates through zlib, which took a
// 100k-row report's sheet 0.2 s at its fastest level, on the cycle's critical path after the CRM
// answers; libdeflate's fastest level does it in about a third of that.
#pragma once

#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace crmsync::folder {

class DeflatedPart {
 public:
  // Throws crmsync::Error (permanent) when libdeflate has no memory for its compressor.
  explicit DeflatedPart(std::string_view data);
  ~DeflatedPart() { zip_error_fini(&error_); }
  DeflatedPart(const DeflatedPart&) = delete;
  DeflatedPart& operator=(const DeflatedPart&) = delete;

  // A source for zip_file_add(); the part must outlive the archive's zip_close(). Null, with the
  // archive's error set, when libzip cannot make one.
  zip_source_t* source(zip_t* archive);

  std::size_t compressed_size() const noexcept { return compressed_size_; }

 private:
  static zip_int64_t callback(void* self, void* data, zip_uint64_t length,
                              zip_source_cmd_t command);

  std::unique_ptr<char[]> compressed_;
  std::size_t compressed_size_ = 0;
  std::uint64_t size_ = 0;  // uncompressed
  std::uint32_t crc_ = 0;
  std::size_t read_ = 0;  // of compressed_, since the source was opened
  zip_error_t error_{};
};

}  // namespace crmsync::folder
