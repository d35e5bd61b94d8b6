#include "connectors/folder/readers/text_decoder.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <array>

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

// Counts every substitution ICU makes, then substitutes as ICU's default callback would.
void counting_substitute(const void* context, UConverterToUnicodeArgs* args, const char* units,
                         int32_t length, UConverterCallbackReason reason, UErrorCode* status) {
  if (reason <= UCNV_IRREGULAR) ++*static_cast<std::size_t*>(const_cast<void*>(context));
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, units, length, reason, status);
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

}  // namespace

struct TextDecoder::Icu {
  ConverterPtr source;
  ConverterPtr target;
  std::array<UChar, 4096> pivot{};
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();
};

TextDecoder::TextDecoder(TextEncoding encoding) : encoding_(encoding) {
  if (encoding_ == TextEncoding::utf16le || encoding_ == TextEncoding::utf16be) {
    icu_ = std::make_unique<Icu>();
    icu_->source = open_converter(encoding_ == TextEncoding::utf16le ? "UTF-16LE" : "UTF-16BE");
    icu_->target = open_converter("UTF-8");
    UErrorCode status = U_ZERO_ERROR;
    ucnv_setToUCallBack(icu_->source.get(), counting_substitute, &substitutions_, nullptr, nullptr,
                        &status);
  } else if (encoding_ == TextEncoding::windows1252) {
    windows1252_table();
  }
}

TextDecoder::~TextDecoder() = default;

void TextDecoder::decode(std::string_view bytes, bool last, std::string& out) {
  switch (encoding_) {
    case TextEncoding::utf8:
      decode_utf8(bytes, last, out);
      return;
    case TextEncoding::windows1252:
      decode_single_byte(bytes, out);
      return;
    case TextEncoding::utf16le:
    case TextEncoding::utf16be:
      decode_icu(bytes, last, out);
      return;
  }
}

void TextDecoder::decode_utf8(std::string_view bytes, bool last, std::string& out) {
  std::string joined;
  if (!carry_.empty()) {
    joined = std::move(carry_);
    carry_.clear();
    joined.append(bytes);
    bytes = joined;
  }
  while (!bytes.empty()) {
    const std::size_t valid = valid_utf8_prefix(bytes);
    out.append(bytes.substr(0, valid));
    bytes.remove_prefix(valid);
    if (bytes.empty()) break;
    // A lead byte whose sequence runs past the chunk waits for the next chunk.
    const auto lead = static_cast<std::uint8_t>(bytes[0]);
    const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
    if (!last && need > bytes.size() && lead <= 0xF4) {
      bool prefix_ok = true;
      for (std::size_t k = 1; k < bytes.size(); ++k)
        prefix_ok = prefix_ok && (static_cast<std::uint8_t>(bytes[k]) & 0xC0) == 0x80;
      if (prefix_ok) {
        carry_.assign(bytes);
        return;
      }
    }
    out.append(kReplacement);
    ++substitutions_;
    bytes.remove_prefix(1);
  }
}

void TextDecoder::decode_single_byte(std::string_view bytes, std::string& out) {
  const SingleByteTable& table = windows1252_table();
  const std::size_t base = out.size();
  out.resize(base + bytes.size() * 3);
  char* dst = out.data() + base;
  for (const char ch : bytes) {
    const auto b = static_cast<std::uint8_t>(ch);
    if (b < 0x80) {
      *dst++ = ch;
      continue;
    }
    if (table.invalid[b]) ++substitutions_;
    for (std::uint8_t k = 0; k < table.length[b]; ++k)
      *dst++ = table.bytes[b][k];
  }
  out.resize(static_cast<std::size_t>(dst - out.data()));
}

void TextDecoder::decode_icu(std::string_view bytes, bool last, std::string& out) {
  const char* source = bytes.data();
  const char* const source_end = bytes.data() + bytes.size();
  std::array<char, 16384> buffer{};
  for (;;) {
    char* target = buffer.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(icu_->target.get(), icu_->source.get(), &target, buffer.data() + buffer.size(),
                   &source, source_end, icu_->pivot.data(), &icu_->pivot_source,
                   &icu_->pivot_target, icu_->pivot.data() + icu_->pivot.size(), false, last,
                   &status);
    out.append(buffer.data(), static_cast<std::size_t>(target - buffer.data()));
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(status))
      throw Error(ErrorCategory::input, std::string("cannot decode text: ") + u_errorName(status));
    return;
  }
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
