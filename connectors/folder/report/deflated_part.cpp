#include "connectors/folder/report/deflated_part.hpp"

#include <isa-l.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

// ISA-L's fastest level: its output is within a few percent of zlib's fastest.
constexpr int kLevel = 1;
// The compressed bytes are appended in pieces of this size at most.
constexpr std::size_t kOutputStep = 1u << 16;

[[noreturn]] void fail(std::string_view why) {
  throw Error(ErrorCategory::permanent, "cannot build the XLSX report: " + std::string(why));
}

}  // namespace

DeflatedPart::DeflatedPart()
    : stream_(std::make_unique<isal_zstream>()), level_buffer_(ISAL_DEF_LVL1_DEFAULT) {
  zip_error_init(&error_);
  isal_deflate_init(stream_.get());
  stream_->level = kLevel;
  stream_->level_buf = level_buffer_.data();
  stream_->level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
  stream_->gzip_flag = IGZIP_DEFLATE;  // a zip entry's data is raw deflate
}

DeflatedPart::DeflatedPart(std::string_view data) : DeflatedPart() {
  add(data);
  finish();
}

DeflatedPart::~DeflatedPart() {
  zip_error_fini(&error_);
}

void DeflatedPart::add(std::string_view data) {
  if (!stream_) fail("a part was added to after it was finished");
  size_ += data.size();
  crc_ = crc32_gzip_refl(crc_, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  // ISA-L counts its input in 32 bits.
  constexpr std::size_t kMostAtOnce = 1u << 30;
  for (; data.size() > kMostAtOnce; data.remove_prefix(kMostAtOnce))
    deflate(data.substr(0, kMostAtOnce), false);
  deflate(data, false);
}

void DeflatedPart::finish() {
  if (!stream_) return;
  deflate({}, true);
  stream_.reset();
  level_buffer_ = {};
}

void DeflatedPart::deflate(std::string_view data, bool last) {
  auto& stream = *stream_;
  stream.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<std::uint32_t>(data.size());
  stream.end_of_stream = last ? 1 : 0;
  stream.flush = NO_FLUSH;
  // Until every byte is in and, at the end, the stream is closed: ISA-L holds some output back.
  while (stream.avail_in > 0 || (last && stream.internal_state.state != ZSTATE_END)) {
    const std::size_t before = compressed_.size();
    compressed_.resize(before + kOutputStep);
    stream.next_out = reinterpret_cast<std::uint8_t*>(compressed_.data() + before);
    stream.avail_out = static_cast<std::uint32_t>(kOutputStep);
    const int status = isal_deflate(&stream);
    compressed_.resize(before + kOutputStep - stream.avail_out);
    if (status != COMP_OK)
      fail("ISA-L could not deflate a part (code " + std::to_string(status) + ")");
  }
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
      stat->size = part.size_;
      stat->comp_size = part.compressed_.size();
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
