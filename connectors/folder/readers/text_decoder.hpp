// connectors/folder/readers/text_decoder.hpp — turns a text file's bytes into UTF-8, chunk by
// chunk, so a file of any size converts in constant memory. Bytes that are not valid in the
// detected encoding become U+FFFD and are counted, so the reader can reject the rows that hold
// them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/folder/readers/encoding_detector.hpp"

namespace crmsync::folder {

class TextDecoder {
 public:
  explicit TextDecoder(TextEncoding encoding);

  // The UTF-8 of `bytes`, valid until the next call. Valid UTF-8 (and pure ASCII in a single-byte
  // code page) is returned as a view of `bytes` itself: the common file is never copied. A
  // sequence cut at the chunk's end is kept for the next call; `last` flushes it (as U+FFFD when
  // it never completes).
  std::string_view decode(std::string_view bytes, bool last);
  // The same, appended to `out`.
  void decode(std::string_view bytes, bool last, std::string& out);

  // How many invalid sequences were replaced so far.
  std::size_t substitutions() const noexcept { return substitutions_; }

  // Converts a whole string at once (vCard values with a CHARSET parameter). Unknown charsets throw
  // crmsync::Error(input).
  static std::string to_utf8(std::string_view bytes, const char* charset);

 private:
  std::string_view decode_utf8(std::string_view bytes, bool last);
  std::string_view decode_single_byte(std::string_view bytes);
  std::string_view decode_utf16(std::string_view bytes, bool last);
  char* reserve_output(std::size_t bytes);

  TextEncoding encoding_;
  std::string carry_;  // an incomplete sequence (UTF-8 bytes, or UTF-16 bytes) from the last chunk
  // Output of conversions. Grown, never shrunk, and its size is not the text's length: resizing
  // a std::string zero-fills, which would cost a memset of every chunk.
  std::string output_;
  std::vector<char16_t> units_;  // UTF-16 code units in machine order, for ICU
  std::size_t substitutions_ = 0;
};

}  // namespace crmsync::folder
