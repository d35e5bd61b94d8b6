// core/text/utf8.hpp — UTF-8 validation and escaping for messages and logs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace crmsync {

// Offset of the first byte that is not part of well-formed UTF-8 (overlongs, surrogates and
// code points above U+10FFFF are ill-formed), or nullopt when the whole text is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

inline bool is_valid_utf8(std::string_view text) noexcept {
  return !first_invalid_utf8(text).has_value();
}

// Text safe to print on one log line: control characters and invalid bytes as \xNN.
std::string escape_control_and_invalid(std::string_view text);

}  // namespace crmsync
