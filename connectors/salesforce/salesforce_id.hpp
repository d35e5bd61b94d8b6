// connectors/salesforce/salesforce_id.hpp — Salesforce record ids: 15-character case-sensitive
// ids and their 18-character case-safe form (shared/reference/salesforce-api.md §8). crmsync keeps
// every id in the 18-character form so ids from files, the API and the state store compare equal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crmsync::salesforce {

// The 3-character suffix for a 15-character id.
std::string case_safe_suffix(std::string_view id15);

// A 15- or 18-character id as 18 characters; nullopt when it is not a well-formed id (wrong
// length, characters outside base 62, or an 18-character id whose suffix does not match).
std::optional<std::string> to_id18(std::string_view id);

}  // namespace crmsync::salesforce
