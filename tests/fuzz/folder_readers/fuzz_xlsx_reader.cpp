// Fuzzes the XLSX reader from bytes in memory: zip handling is libzip's, the XML handling (sheet
// cells, shared strings, styles, rels, merges scan) is ours and is what the fuzzer exercises.
#include <cstdint>
#include <string_view>

#include "connectors/folder/readers/xlsx_reader.hpp"
#include "core/error.hpp"
#include "tests/fuzz/folder_readers/fuzz_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace crmsync::folder;
  fuzzing::TouchingSink sink;
  try {
    read_xlsx_bytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xlsx",
                    fuzzing::fuzz_options(), sink);
  } catch (const crmsync::Error&) {
  }
  return 0;
}
