#include "connectors/salesforce/salesforce_id.hpp"

#include <algorithm>
#include <cctype>

namespace crmsync::salesforce {

std::string case_safe_suffix(std::string_view id15) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  std::string suffix;
  for (int chunk = 0; chunk < 3; ++chunk) {
    unsigned bits = 0;
    for (int j = 0; j < 5; ++j) {
      const char c = id15[static_cast<std::size_t>(chunk * 5 + j)];
      if (c >= 'A' && c <= 'Z') bits |= 1u << j;
    }
    suffix += kAlphabet[bits];
  }
  return suffix;
}

std::optional<std::string> to_id18(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return std::nullopt;
  if (!std::all_of(id.begin(), id.end(),
                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }))
    return std::nullopt;
  const std::string id15(id.substr(0, 15));
  const std::string suffix = case_safe_suffix(id15);
  if (id.size() == 18) {
    // The suffix is case-insensitive on input; it must still be the right one.
    for (std::size_t i = 0; i < 3; ++i)
      if (std::toupper(static_cast<unsigned char>(id[15 + i])) != suffix[i]) return std::nullopt;
  }
  return id15 + suffix;
}

}  // namespace crmsync::salesforce
