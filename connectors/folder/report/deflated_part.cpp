#include "connectors/folder/report/deflated_part.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace crmsync::folder {

DeflatedPart::DeflatedPart() {
  zip_error_init(&error_);
}

DeflatedPart::DeflatedPart(std::string_view data) : DeflatedPart() {
  add(data);
  finish();
}

DeflatedPart::~DeflatedPart() {
  zip_error_fini(&error_);
}

void DeflatedPart::add(std::string_view data) {
  try {
    deflater_.add(data);
  } catch (const Error& e) {
    throw Error(ErrorCategory::permanent, std::string("cannot build the XLSX report: ") + e.what());
  }
}

void DeflatedPart::finish() {
  if (finished_) return;
  compressed_ = deflater_.finish();
  finished_ = true;
}

zip_source_t* DeflatedPart::source(zip_t* archive) {
  finish();
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
      const auto n = std::min<std::size_t>(length, part.compressed_.size() - part.read_);
      std::memcpy(data, part.compressed_.data() + part.read_, n);
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
      stat->size = part.deflater_.size();
      stat->comp_size = part.compressed_.size();
      stat->comp_method = ZIP_CM_DEFLATE;
      stat->crc = part.deflater_.crc32();
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
