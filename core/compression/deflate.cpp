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
    : stream_(std::make_unique<isal_zstream>()),
      level_buffer_(ISAL_DEF_LVL1_DEFAULT),
      raw_(framing == DeflateFraming::raw) {
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
  // A zip keeps the CRC beside the raw stream; gzip framing has ISA-L write its own.
  if (raw_)
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

Inflater::Inflater(DeflateFraming framing)
    : state_(std::make_unique<inflate_state>()), out_(kOutputStep) {
  isal_inflate_init(state_.get());
  // Raw: ISA-L keeps the text's CRC-32 as it inflates (gzip's trailer has the same CRC).
  state_->crc_flag = framing == DeflateFraming::gzip ? ISAL_GZIP : ISAL_GZIP_NO_HDR;
}

Inflater::~Inflater() = default;

std::uint32_t Inflater::crc32() const noexcept {
  return state_->crc;
}

Inflater::Outcome Inflater::add(std::string_view input,
                                const std::function<bool(std::string_view)>& out) {
  for (; input.size() > kMostAtOnce; input.remove_prefix(kMostAtOnce))
    if (const auto outcome = take(input.substr(0, kMostAtOnce), out);
        outcome != Outcome::needs_input)
      return outcome;
  return take(input, out);
}

Inflater::Outcome Inflater::take(std::string_view input,
                                 const std::function<bool(std::string_view)>& out) {
  auto& state = *state_;
  if (state.block_state == ISAL_BLOCK_FINISH) return Outcome::finished;
  state.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(input.data()));
  state.avail_in = static_cast<std::uint32_t>(input.size());
  // Called at least once, also with no input: the last block may be in ISA-L's bit buffer.
  for (;;) {
    const auto avail_in = state.avail_in;
    state.next_out = out_.data();
    state.avail_out = static_cast<std::uint32_t>(out_.size());
    const int status = isal_inflate(&state);
    if (status != ISAL_DECOMP_OK && status != ISAL_END_INPUT) return Outcome::damaged;
    const std::size_t produced = out_.size() - state.avail_out;
    if (produced > 0
        && !out(std::string_view(reinterpret_cast<const char*>(out_.data()), produced)))
      return Outcome::stopped;
    if (state.block_state == ISAL_BLOCK_FINISH) return Outcome::finished;
    // No byte in, none out: all input is taken, or what is left cannot be inflated.
    if (produced == 0 && state.avail_in == avail_in)
      return avail_in == 0 ? Outcome::needs_input : Outcome::damaged;
  }
}

std::string inflate(std::string_view deflated, DeflateFraming framing, std::size_t max_size) {
  Inflater inflater(framing);
  std::string text;
  bool too_large = false;
  const auto outcome = inflater.add(deflated, [&](std::string_view piece) {
    too_large = piece.size() > max_size - text.size();
    if (!too_large) text.append(piece);
    return !too_large;
  });
  if (too_large) fail("inflate: the text is larger than " + std::to_string(max_size) + " bytes");
  if (outcome == Inflater::Outcome::damaged) fail("inflate: the deflated bytes are damaged");
  if (outcome != Inflater::Outcome::finished)
    fail("inflate: the deflated bytes end before their last block");
  return text;
}

}  // namespace crmsync
