// connectors/folder/report/deflated_part.hpp — one part of the XLSX report, deflated here (core's
// Deflater, ISA-L) as it is written, and handed to libzip as data already compressed: its
// source says so (method, sizes, CRC), and libzip stores the bytes as they are.
//
// libzip deflates through zlib, which took a 100k-row report's sheet 0.2 s at its fastest level,
// on the cycle's critical path after the CRM answers. Deflated in pieces as the sheet is written,
// its 37 MB of XML are never held whole either: ISA-L's fastest level did them in 28 ms, where
// libdeflate (which needs the whole text at once) took 81.
#pragma once

#include <zip.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "core/compression/deflate.hpp"

namespace crmsync::folder {

class DeflatedPart {
 public:
  DeflatedPart();  // empty: its text is added piece by piece
  // A part whose text is all here: added and finished.
  explicit DeflatedPart(std::string_view data);
  ~DeflatedPart();
  DeflatedPart(const DeflatedPart&) = delete;
  DeflatedPart& operator=(const DeflatedPart&) = delete;

  // The part's next bytes; throws crmsync::Error (permanent) if ISA-L fails, or once finished.
  void add(std::string_view data);
  // Ends the deflate stream; nothing may be added after.
  void finish();

  // A source for zip_file_add() (finishing the part); the part must outlive the archive's
  // zip_close(). Null, with the archive's error set, when libzip cannot make one.
  zip_source_t* source(zip_t* archive);

  std::size_t compressed_size() const noexcept { return compressed_.size(); }

 private:
  static zip_int64_t callback(void* self, void* data, zip_uint64_t length,
                              zip_source_cmd_t command);
  Deflater deflater_;
  bool finished_ = false;
  std::string compressed_;
  std::size_t read_ = 0;  // of compressed_, since the source was opened
  zip_error_t error_{};
};

}  // namespace crmsync::folder
