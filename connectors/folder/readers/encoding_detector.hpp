// connectors/folder/readers/encoding_detector.hpp — which encoding a text file is in, from its
// first bytes: a BOM decides (UTF-8, UTF-16LE/BE); then zero bytes all on one side of each pair
// mean UTF-16 without a BOM; otherwise valid UTF-8 is UTF-8, and anything
// else is Windows-1252, what Excel and Outlook write on Western Windows machines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crmsync::folder {

enum class TextEncoding { utf8, utf16le, utf16be, windows1252 };

struct DetectedEncoding {
  TextEncoding encoding = TextEncoding::utf8;
  std::size_t bom_bytes = 0;  // to skip before decoding
  std::string name;           // for previews: "UTF-8", "UTF-8 (BOM)", "UTF-16LE", "windows-1252"
};

// `sample` is the start of the file; `complete` says whether it is the whole file (an incomplete
// UTF-8 sequence cut at the end of a partial sample is not an error).
DetectedEncoding detect_encoding(std::string_view sample, bool complete);

// Length of the longest prefix of `bytes` that is valid UTF-8 (stops before the first invalid or
// truncated sequence).
std::size_t valid_utf8_prefix(std::string_view bytes) noexcept;

}  // namespace crmsync::folder
