// core/compression/deflate.hpp — DEFLATE (RFC 1951) both ways, with ISA-L: raw, as a zip entry
// holds it (the reports' XLSX parts, whose CRC the zip keeps), or framed as gzip (RFC 1952, which
// adds the CRC and size that make damage show) for what the state store keeps of large texts
// written once and rarely read back (a Bulk job's staged outbox entry).
//
// ISA-L over zlib and libdeflate: it streams (a 37 MB text is deflated piece by piece as it is
// written, never held whole) and its fastest level deflated a report's sheet in a third of
// libdeflate's time; it inflated an XLSX sheet in less than half of zlib's, its CRC-32 included.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct isal_zstream;
struct inflate_state;

namespace crmsync {

enum class DeflateFraming {
  raw,   // the stream alone
  gzip,  // a gzip member: header, stream, CRC-32 and size
};

class Deflater {
 public:
  explicit Deflater(DeflateFraming framing = DeflateFraming::raw);
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // The text's next bytes; throws Error(permanent) if ISA-L fails, or once finished.
  void add(std::string_view data);
  // Ends the stream (nothing may be added after) and hands over the deflated bytes.
  std::string finish();

  std::uint64_t size() const noexcept { return size_; }  // of the text added
  // Raw framing: the CRC-32 of the text added, which a zip entry keeps beside its stream (gzip
  // framing writes it into the stream itself, and leaves this 0).
  std::uint32_t crc32() const noexcept { return crc_; }

 private:
  void deflate(std::string_view data, bool last);

  std::unique_ptr<isal_zstream> stream_;  // null once finished
  std::vector<std::uint8_t> level_buffer_;
  std::string deflated_;
  bool raw_;
  std::uint64_t size_ = 0;
  std::uint32_t crc_ = 0;
};

// The other way, a piece at a time: the one place that drives ISA-L's inflate, for a zip entry
// read from its archive as for a stored entry inflated whole.
class Inflater {
 public:
  explicit Inflater(DeflateFraming framing = DeflateFraming::raw);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  enum class Outcome {
    needs_input,  // all of it taken; the stream goes on (with none left: it was cut short)
    finished,     // the stream ended (gzip: its CRC and size matched)
    stopped,      // `out` returned false
    damaged,      // not DEFLATE, or (gzip) a CRC or size that does not match
  };
  // Inflates `input`, the stream's next bytes, handing its text to `out` a piece at a time.
  Outcome add(std::string_view input, const std::function<bool(std::string_view)>& out);
  // Raw framing: the CRC-32 of the text so far (a zip entry's).
  std::uint32_t crc32() const noexcept;

 private:
  Outcome take(std::string_view input, const std::function<bool(std::string_view)>& out);

  std::unique_ptr<inflate_state> state_;  // some 40 KB of tables
  std::vector<std::uint8_t> out_;
};

// `deflated` inflated whole. Throws Error(permanent) when it is not one stream of `framing`
// (damaged: for gzip, a CRC that does not match; cut short) or would inflate beyond `max_size`
// bytes. A raw stream has no check of its own: damage may inflate to other text.
std::string inflate(std::string_view deflated, DeflateFraming framing, std::size_t max_size);

}  // namespace crmsync
