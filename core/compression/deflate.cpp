#include "core/compression/deflate.hpp"

#include <isa-l.h>

#include <algorithm>

#include "core/error.hpp"

namespace crmsync {
namespace {

// ISA-L's fastest level: its output is within a few percent of zlib's fastest.
constexpr int kLevel = 1;
// Output is appended in steps of this size at most.
constexpr std::size_t kOutputStep = 1u << 16;
// ISA-L counts its input in 32 bits.
constexpr std::size_t kMostAtOnce = 1u << 30;

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorCategory::permanent, why);
}

}  // namespace

Deflater::Deflater(DeflateFraming framing)
    : stream_(std::make_unique<isal_zstream>()), level_buffer_(ISAL_DEF_LVL1_DEFAULT) {
  isal_deflate_init(stream_.get());
  stream_->level = kLevel;
  stream_->level_buf = level_buffer_.data();
  stream_->level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
  stream_->gzip_flag = framing == DeflateFraming::gzip ? IGZIP_GZIP : IGZIP_DEFLATE;
}

Deflater::~Deflater() = default;

void Deflater::add(std::string_view data) {
  if (!stream_) fail("deflate: text was added after its stream was finished");
  size_ += data.size();
  crc_ = crc32_gzip_refl(crc_, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  for (; data.size() > kMostAtOnce; data.remove_prefix(kMostAtOnce))
    deflate(data.substr(0, kMostAtOnce), false);
  deflate(data, false);
}

std::string Deflater::finish() {
  if (stream_) {
    deflate({}, true);
    stream_.reset();
    level_buffer_ = {};
  }
  return std::move(deflated_);
}

void Deflater::deflate(std::string_view data, bool last) {
  auto& stream = *stream_;
  stream.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<std::uint32_t>(data.size());
  stream.end_of_stream = last ? 1 : 0;
  stream.flush = NO_FLUSH;
  // Until every byte is in and, at the end, the stream is closed: ISA-L holds some output back.
  while (stream.avail_in > 0 || (last && stream.internal_state.state != ZSTATE_END)) {
    const std::size_t before = deflated_.size();
    deflated_.resize(before + kOutputStep);
    stream.next_out = reinterpret_cast<std::uint8_t*>(deflated_.data() + before);
    stream.avail_out = static_cast<std::uint32_t>(kOutputStep);
    const int status = isal_deflate(&stream);
    deflated_.resize(before + kOutputStep - stream.avail_out);
    if (status != COMP_OK) fail("deflate: ISA-L failed (code " + std::to_string(status) + ")");
  }
}

std::string inflate(std::string_view deflated, DeflateFraming framing, std::size_t max_size) {
  if (deflated.size() > kMostAtOnce) fail("inflate: more than 1 GiB of deflated bytes");
  const auto too_large = [&] {
    fail("inflate: the text is larger than " + std::to_string(max_size) + " bytes");
  };
  const auto state = std::make_unique<inflate_state>();  // some 40 KB of tables
  isal_inflate_init(state.get());
  state->crc_flag = framing == DeflateFraming::gzip ? ISAL_GZIP : ISAL_DEFLATE;
  state->next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(deflated.data()));
  state->avail_in = static_cast<std::uint32_t>(deflated.size());
  std::string text;
  while (state->block_state != ISAL_BLOCK_FINISH) {
    const std::size_t before = text.size();
    if (before > max_size) too_large();
    // Grown by doubling, never past one byte more than allowed.
    const std::size_t step =
        std::min({std::max(kOutputStep, before), max_size + 1 - before, kMostAtOnce});
    text.resize(before + step);
    const auto avail_in = state->avail_in;
    state->next_out = reinterpret_cast<std::uint8_t*>(text.data() + before);
    state->avail_out = static_cast<std::uint32_t>(step);
    const int status = isal_inflate(state.get());
    text.resize(before + step - state->avail_out);
    if (status != ISAL_DECOMP_OK && status != ISAL_END_INPUT)
      fail("inflate: the deflated bytes are damaged");
    if (text.size() == before && state->avail_in == avail_in
        && state->block_state != ISAL_BLOCK_FINISH)
      fail("inflate: the deflated bytes end before their last block");
  }
  if (text.size() > max_size) too_large();
  return text;
}

}  // namespace crmsync
