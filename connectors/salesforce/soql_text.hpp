// connectors/salesforce/soql_text.hpp — writing SOQL safely: string literals escaped as SOQL
// defines them (§3.4), datetimes in the unquoted literal form, and IN lists split so each query's
// URL stays under the REST URI limit (16,384 bytes; we keep well below it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace crmsync::salesforce {

// 'value' with \ ' " and control characters escaped.
std::string soql_string(std::string_view value);
// The same for LIKE patterns, where % and _ in the value are literal.
std::string soql_like_string(std::string_view value);

// Splits `values` into IN lists "('a','b',...)" such that `prefix` + list + `suffix`, URL-encoded,
// stays within `max_url_bytes`. Every value lands in exactly one list, in order.
std::vector<std::string> soql_in_lists(const std::vector<std::string>& values,
                                       std::string_view prefix, std::string_view suffix,
                                       std::size_t max_url_bytes = 8000);

// Percent-encodes a query string value (RFC 3986 unreserved characters stay).
std::string url_encode(std::string_view text);

}  // namespace crmsync::salesforce
