// Salesforce record ids: 15-char case-sensitive base-62 plus the 3-char case-safe suffix
// (reference §8). The API always returns 18 chars and accepts either form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::salesforce {

// The 3-char suffix of a 15-char id.
std::string id_suffix(std::string_view id15);
// 15 -> 18 chars.
std::string to_id18(std::string_view id15);
// Accepts a 15- or 18-char id and returns the canonical 18-char form. For 18-char input the case
// of the first 15 chars is restored from the suffix, so an id that went through a case-insensitive
// system still resolves, as it does in a real org. std::nullopt when it is not an id.
std::optional<std::string> canonical_id(std::string_view id);
// A new id: key prefix + "SB0" + 9 base-62 digits of the sequence number.
std::string make_id(std::string_view key_prefix, std::uint64_t sequence);

}  // namespace sandbox::salesforce
