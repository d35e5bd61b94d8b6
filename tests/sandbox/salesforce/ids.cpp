#include "salesforce/ids.hpp"

#include <cctype>

namespace sandbox::salesforce {
namespace {

constexpr std::string_view kSuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string id_suffix(std::string_view id15) {
  std::string suffix;
  for (std::size_t chunk = 0; chunk < 3; ++chunk) {
    unsigned bits = 0;
    for (std::size_t j = 0; j < 5; ++j) {
      const char c = id15[chunk * 5 + j];
      if (c >= 'A' && c <= 'Z') bits |= 1U << j;
    }
    suffix.push_back(kSuffixAlphabet[bits]);
  }
  return suffix;
}

std::string to_id18(std::string_view id15) {
  return std::string(id15) + id_suffix(id15);
}

std::optional<std::string> canonical_id(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return std::nullopt;
  for (const char c : id) {
    if (!is_alnum(c)) return std::nullopt;
  }
  if (id.size() == 15) return to_id18(id);
  std::string id15(id.substr(0, 15));
  for (std::size_t chunk = 0; chunk < 3; ++chunk) {
    const char code = static_cast<char>(std::toupper(static_cast<unsigned char>(id[15 + chunk])));
    const auto bits = kSuffixAlphabet.find(code);
    if (bits == std::string_view::npos) return std::nullopt;
    for (std::size_t j = 0; j < 5; ++j) {
      char& c = id15[chunk * 5 + j];
      if (std::isalpha(static_cast<unsigned char>(c)) == 0) continue;
      const bool upper = ((bits >> j) & 1U) != 0;
      c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                  : std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return to_id18(id15);
}

std::string make_id(std::string_view key_prefix, std::uint64_t sequence) {
  // Built in place: every created record takes one.
  std::string id;
  id.reserve(key_prefix.size() + 15);
  id.append(key_prefix).append("SB0");
  const std::size_t digits = id.size();
  id.append(9, '0');
  for (std::size_t i = 0; i < 9; ++i) {
    id[digits + 8 - i] = kBase62[sequence % 62];
    sequence /= 62;
  }
  if (id.size() != 15) return to_id18(id);
  id += id_suffix(id);
  return id;
}

}  // namespace sandbox::salesforce
