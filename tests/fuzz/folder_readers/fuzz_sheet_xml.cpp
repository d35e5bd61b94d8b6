// Differential fuzzing of the hand-rolled worksheet XML scanner against expat: whenever expat
// reads a document, the scanner must read it too (in any chunking) and report the same events.
// The scanner may refuse more than expat does, never less.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tests/fuzz/folder_readers/xml_event_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace crmsync::folder;
  if (size == 0) return 0;
  // The first byte picks the scanner's chunk size, the rest is the document.
  const std::size_t chunk = 1 + data[0] % 64;
  const std::string_view document(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto expat = fuzzing::parse_xml<XmlStream>(document, document.size());
  const auto scanner = fuzzing::parse_xml<XmlScanner>(document, chunk);
  if (!expat.ok) return 0;
  if (!scanner.ok || scanner.events != expat.events) {
    std::fprintf(stderr, "scanner disagrees with expat: %s\n", scanner.error.c_str());
    std::abort();
  }
  return 0;
}
