// Fuzzes the .xls path: freexl only opens files by name, so each input is written to a temporary
// file first. freexl itself is not instrumented; it runs in a forked child (see xls_reader.hpp),
// whose coverage libFuzzer does not see: this guards the pre-check, the decoding of the child's
// output and the table assembly. A sanitizer report inside the child still prints and still makes
// libFuzzer's death callback write the crash-* file; the parent only turns it into an input error.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "connectors/folder/readers/xls_reader.hpp"
#include "core/error.hpp"
#include "tests/fuzz/folder_readers/fuzz_sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace crmsync::folder;
  std::string path = (std::filesystem::temp_directory_path() / "fuzz-xls-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return 0;
  const bool written = ::write(fd, data, size) == static_cast<ssize_t>(size);
  ::close(fd);
  fuzzing::TouchingSink sink;
  if (written) {
    try {
      read_xls(path, fuzzing::fuzz_options(), sink);
    } catch (const crmsync::Error&) {
    }
  }
  std::remove(path.c_str());
  return 0;
}
