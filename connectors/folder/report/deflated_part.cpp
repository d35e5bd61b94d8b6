#include "connectors/folder/report/deflated_part.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

// The fastest level, as the report had with zlib: a 100k-row sheet of 20 MB deflates to a few.
constexpr int kLevel = 1;

struct CompressorDeleter {
  void operator()(libdeflate_compressor* compressor) const noexcept {
    libdeflate_free_compressor(compressor);
  }
};

}  // namespace

DeflatedPart::DeflatedPart(std::string_view data) : size_(data.size()) {
  zip_error_init(&error_);
  const std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
      libdeflate_alloc_compressor(kLevel));
  if (!compressor)
    throw Error(ErrorCategory::permanent, "cannot build the XLSX report: no memory to deflate");
  // Room for the worst case, left unwritten: a 100k-row sheet's bound is some 20 MB, of which
  // deflate writes a few; zero-filling all of it touched every page.
  const auto bound = libdeflate_deflate_compress_bound(compressor.get(), data.size());
  compressed_ = std::make_unique_for_overwrite<char[]>(bound);
  // 0 means the output was full, which the bound rules out: refused rather than stored empty.
  compressed_size_ = libdeflate_deflate_compress(compressor.get(), data.data(), data.size(),
                                                 compressed_.get(), bound);
  if (compressed_size_ == 0)
    throw Error(ErrorCategory::permanent, "cannot build the XLSX report: a part did not deflate");
  crc_ = libdeflate_crc32(0, data.data(), data.size());
}

zip_source_t* DeflatedPart::source(zip_t* archive) {
  return zip_source_function(archive, &DeflatedPart::callback, this);
}

// libzip's source protocol (zip_source_function(3)). STAT says the data is deflated and gives the
// uncompressed size and CRC, which is what makes libzip copy it instead of compressing it.
zip_int64_t DeflatedPart::callback(void* self, void* data, zip_uint64_t length,
                                   zip_source_cmd_t command) {
  auto& part = *static_cast<DeflatedPart*>(self);
  switch (command) {
    case ZIP_SOURCE_OPEN:
      part.read_ = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const auto n = std::min<std::size_t>(length, part.compressed_size_ - part.read_);
      std::memcpy(data, part.compressed_.get() + part.read_, n);
      part.read_ += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:  // the part is owned by its caller
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* stat = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, length, &part.error_);
      if (stat == nullptr) return -1;
      zip_stat_init(stat);
      stat->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      stat->size = part.size_;
      stat->comp_size = part.compressed_size_;
      stat->comp_method = ZIP_CM_DEFLATE;
      stat->crc = part.crc_;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&part.error_, data, length);
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                            ZIP_SOURCE_SUPPORTS, -1);
    default:
      zip_error_set(&part.error_, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

}  // namespace crmsync::folder
