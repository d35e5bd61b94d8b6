#include "connectors/folder/readers/text_decoder.hpp"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

struct ConverterCloser {
  void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr open_converter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name, &status));
  // Trap: "windows-1252" opens with U_AMBIGUOUS_ALIAS_WARNING; only U_FAILURE means it failed.
  if (U_FAILURE(status) || !converter)
    throw Error(ErrorCategory::input, std::string("unsupported character set ") + name);
  return converter;
}

// Windows-1252 runs through a 256-entry table built once from ICU's own mapping: ICU decides what
// each byte means (we hand-roll no code page), and the hot loop is a table lookup instead of a
// round trip through UTF-16, which keeps cp1252 files above 150 MB/s.
struct SingleByteTable {
  std::array<std::array<char, 4>, 256> bytes{};
  std::array<std::uint8_t, 256> length{};
  std::array<bool, 256> invalid{};
};

const SingleByteTable& windows1252_table() {
  static const SingleByteTable table = [] {
    SingleByteTable t;
    for (int b = 0; b < 256; ++b) {
      const char in = static_cast<char>(b);
      const std::string utf8 = TextDecoder::to_utf8(std::string_view(&in, 1), "windows-1252");
      const auto index = static_cast<std::size_t>(b);
      t.length[index] = static_cast<std::uint8_t>(std::min<std::size_t>(utf8.size(), 4));
      std::copy_n(utf8.begin(), t.length[index], t.bytes[index].begin());
      t.invalid[index] = utf8 == kReplacement || utf8 == "\x1A";
    }
    return t;
  }();
  return table;
}

constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

bool is_ascii(std::string_view bytes) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, 8);
    if (word & kHighBits) return false;
  }
  for (; i < bytes.size(); ++i)
    if (static_cast<std::uint8_t>(bytes[i]) >= 0x80) return false;
  return true;
}

// Whether `tail` is the start of a UTF-8 sequence that the next chunk may complete.
bool is_cut_sequence(std::string_view tail) noexcept {
  if (tail.empty()) return false;
  const auto lead = static_cast<std::uint8_t>(tail[0]);
  const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (lead > 0xF4 || need <= tail.size()) return false;
  for (std::size_t k = 1; k < tail.size(); ++k)
    if ((static_cast<std::uint8_t>(tail[k]) & 0xC0) != 0x80) return false;
  return true;
}

bool is_high_surrogate(char16_t unit) noexcept {
  return unit >= 0xD800 && unit <= 0xDBFF;
}

}  // namespace

TextDecoder::TextDecoder(TextEncoding encoding) : encoding_(encoding) {
  if (encoding_ == TextEncoding::windows1252) windows1252_table();
}

char* TextDecoder::reserve_output(std::size_t bytes) {
  if (output_.size() < bytes) output_.resize(bytes);
  return output_.data();
}

std::string_view TextDecoder::decode(std::string_view bytes, bool last) {
  switch (encoding_) {
    case TextEncoding::utf8:
      return decode_utf8(bytes, last);
    case TextEncoding::windows1252:
      return decode_single_byte(bytes);
    case TextEncoding::utf16le:
    case TextEncoding::utf16be:
      return decode_utf16(bytes, last);
  }
  return {};
}

void TextDecoder::decode(std::string_view bytes, bool last, std::string& out) {
  out.append(decode(bytes, last));
}

std::string_view TextDecoder::decode_utf8(std::string_view bytes, bool last) {
  if (carry_.empty()) {
    const std::size_t valid = valid_utf8_prefix(bytes);
    if (valid == bytes.size()) return bytes;
    if (!last && is_cut_sequence(bytes.substr(valid))) {
      carry_.assign(bytes.substr(valid));
      return bytes.substr(0, valid);
    }
  }
  // The rare chunk with a carried or invalid sequence is rebuilt in `output_`.
  std::string joined;
  if (!carry_.empty()) {
    joined = std::move(carry_);
    carry_.clear();
    joined.append(bytes);
    bytes = joined;
  }
  char* const out = reserve_output(bytes.size() * 3);
  char* dst = out;
  while (!bytes.empty()) {
    const std::size_t valid = valid_utf8_prefix(bytes);
    std::memcpy(dst, bytes.data(), valid);
    dst += valid;
    bytes.remove_prefix(valid);
    if (bytes.empty()) break;
    // A lead byte whose sequence runs past the chunk waits for the next chunk.
    if (!last && is_cut_sequence(bytes)) {
      carry_.assign(bytes);
      break;
    }
    std::memcpy(dst, kReplacement.data(), kReplacement.size());
    dst += kReplacement.size();
    ++substitutions_;
    bytes.remove_prefix(1);
  }
  return {out, static_cast<std::size_t>(dst - out)};
}

std::string_view TextDecoder::decode_single_byte(std::string_view bytes) {
  if (is_ascii(bytes)) return bytes;
  const SingleByteTable& table = windows1252_table();
  char* const out = reserve_output(bytes.size() * 3);
  char* dst = out;
  const char* src = bytes.data();
  const char* const end = src + bytes.size();
  while (src < end) {
    // Runs of ASCII (most of any Western text) are copied a word at a time.
    if (end - src >= 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, src, 8);
      if ((word & kHighBits) == 0) {
        std::memcpy(dst, src, 8);
        src += 8;
        dst += 8;
        continue;
      }
    }
    const auto b = static_cast<std::uint8_t>(*src++);
    if (b < 0x80) {
      *dst++ = static_cast<char>(b);
      continue;
    }
    if (table.invalid[b]) ++substitutions_;
    std::memcpy(dst, table.bytes[b].data(), 4);  // the table pads with zeros: copy, then advance
    dst += table.length[b];
  }
  return {out, static_cast<std::size_t>(dst - out)};
}

// ICU's u_strToUTF8WithSub does the conversion (and replaces lone surrogates, counting them); here
// only the byte order and the pieces cut at chunk ends (an odd byte, a high surrogate whose low
// half is in the next chunk) are handled.
std::string_view TextDecoder::decode_utf16(std::string_view bytes, bool last) {
  std::string_view input = bytes;
  std::string joined;
  if (!carry_.empty()) {
    joined = std::move(carry_);
    carry_.clear();
    joined.append(bytes);
    input = joined;
  }
  const bool little_endian = encoding_ == TextEncoding::utf16le;
  std::size_t count = input.size() / 2;
  units_.resize(count);
  const auto* src = reinterpret_cast<const std::uint8_t*>(input.data());
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t lo = little_endian ? src[2 * i] : src[2 * i + 1];
    const std::uint8_t hi = little_endian ? src[2 * i + 1] : src[2 * i];
    units_[i] = static_cast<char16_t>(lo | (hi << 8));
  }
  std::size_t kept = input.size() - count * 2;  // an odd trailing byte
  if (!last && count > 0 && is_high_surrogate(units_[count - 1])) {
    --count;
    kept += 2;
  }
  if (!last) {
    carry_.assign(input.substr(input.size() - kept));
  } else if (kept > 0) {
    ++substitutions_;  // the file ends in the middle of a code unit
  }
  char* const out = reserve_output(count * 3 + kReplacement.size());
  std::int32_t length = 0;
  std::int32_t replaced = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out, static_cast<std::int32_t>(output_.size()), &length, units_.data(),
                     static_cast<std::int32_t>(count), 0xFFFD, &replaced, &status);
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING)
    throw Error(ErrorCategory::input, std::string("cannot decode text: ") + u_errorName(status));
  substitutions_ += static_cast<std::size_t>(replaced);
  std::size_t size = static_cast<std::size_t>(length);
  if (last && kept > 0) {
    std::memcpy(out + size, kReplacement.data(), kReplacement.size());
    size += kReplacement.size();
  }
  return {out, size};
}

std::string TextDecoder::to_utf8(std::string_view bytes, const char* charset) {
  ConverterPtr source = open_converter(charset);
  ConverterPtr target = open_converter("UTF-8");
  std::string out(bytes.size() * 4 + 16, '\0');
  char* dst = out.data();
  const char* src = bytes.data();
  UErrorCode status = U_ZERO_ERROR;
  ucnv_convertEx(target.get(), source.get(), &dst, out.data() + out.size(), &src,
                 bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr, true, true,
                 &status);
  if (U_FAILURE(status))
    throw Error(ErrorCategory::input, std::string("cannot decode text: ") + u_errorName(status));
  out.resize(static_cast<std::size_t>(dst - out.data()));
  return out;
}

}  // namespace crmsync::folder
