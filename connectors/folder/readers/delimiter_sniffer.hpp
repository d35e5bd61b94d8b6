// connectors/folder/readers/delimiter_sniffer.hpp — which of , ; tab | separates a CSV's fields.
// Excel's own `sep=X` first line wins; otherwise the candidate that splits the most sample lines
// into the same non-zero number of fields (title rows and notes disagree, the table agrees).
#pragma once

#include <cstddef>
#include <string_view>

namespace crmsync::folder {

struct SniffedDelimiter {
  char delimiter = ',';
  std::size_t skip_bytes = 0;  // length of the `sep=` line, which Excel does not show as a row
};

// `sample` is the start of the decoded (UTF-8) text.
SniffedDelimiter sniff_delimiter(std::string_view sample);

}  // namespace crmsync::folder
