// core/text/csv_field.hpp — one RFC 4180 field, as both CSVs crmsync writes need it: the Bulk
// API's upload and a rep's report. Quoted when it holds a comma, quote, CR or LF, or starts or
// ends with a space (a reader might trim it); inner quotes doubled. The text is used as given.
#pragma once

#include <string>
#include <string_view>

namespace crmsync {

void append_csv_field(std::string& out, std::string_view text);
std::string csv_field(std::string_view text);

}  // namespace crmsync
