// Fuzzes the reader of Bulk API 2.0 result files, which come from the network: any bytes must
// end in rows whose fields are readable views (into the input, or into the reader's scratch
// space during the call), and parse_csv must agree with the streaming reader. Never a crash, a
// hang or a read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "connectors/salesforce/bulk_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace crmsync::salesforce;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t rows = 0, bytes = 0, checksum = 0;
  for_each_csv_row(text, [&](std::span<const std::string_view> fields) {
    ++rows;
    for (const auto field : fields)
      for (const char c : field)  // every byte of every view is read: ASan checks the bounds
        checksum += static_cast<unsigned char>(c), ++bytes;
  });
  // Fields never hold more than the input: quotes and separators only ever go away.
  if (bytes > size || checksum > 255 * size) std::abort();
  if (parse_csv(text).size() != rows) std::abort();
  return 0;
}
