// connectors/folder/readers/text_decoder.hpp — turns a text file's bytes into UTF-8, chunk by
// chunk, so a file of any size converts in constant memory. Bytes that are not valid in the
// detected encoding become U+FFFD and are counted, so the reader can reject the rows that hold
// them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "connectors/folder/readers/encoding_detector.hpp"

namespace crmsync::folder {

class TextDecoder {
 public:
  explicit TextDecoder(TextEncoding encoding);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Appends the UTF-8 of `bytes` to `out`. A sequence cut at the chunk's end is kept for the next
  // call; `last` flushes it (as U+FFFD when it never completes).
  void decode(std::string_view bytes, bool last, std::string& out);

  // How many invalid sequences were replaced so far.
  std::size_t substitutions() const noexcept { return substitutions_; }

  // Converts a whole string at once (vCard values with a CHARSET parameter). Unknown charsets throw
  // crmsync::Error(input).
  static std::string to_utf8(std::string_view bytes, const char* charset);

 private:
  void decode_utf8(std::string_view bytes, bool last, std::string& out);
  void decode_single_byte(std::string_view bytes, std::string& out);
  void decode_icu(std::string_view bytes, bool last, std::string& out);

  struct Icu;
  TextEncoding encoding_;
  std::unique_ptr<Icu> icu_;
  std::string carry_;  // an incomplete UTF-8 sequence from the previous chunk
  std::size_t substitutions_ = 0;
};

}  // namespace crmsync::folder
