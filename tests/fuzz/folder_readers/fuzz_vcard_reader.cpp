// Fuzzes the vcard reader on raw bytes: any input ends in records, row errors or a
// crmsync::Error, never a crash, hang or sanitizer report.
#include <cstdint>
#include <string_view>

#include "connectors/folder/readers/vcard_reader.hpp"
#include "core/error.hpp"
#include "tests/fuzz/folder_readers/fuzz_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace crmsync::folder;
  MemoryByteSource source(std::string_view(reinterpret_cast<const char*>(data), size));
  fuzzing::TouchingSink sink;
  try {
    read_vcard(source, "fuzz.vcard", fuzzing::fuzz_options(), sink);
  } catch (const crmsync::Error&) {
  }
  return 0;
}
