// core/text/fnv1a.hpp — FNV-1a, 64 bits: a fast change detector (a row's content, the mapping a
// file was read with), not a security boundary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crmsync {

class Fnv1a64 {
 public:
  Fnv1a64& add(std::string_view text) {
    for (const unsigned char c : text)
      hash_ = (hash_ ^ c) * kPrime;
    return *this;
  }
  // One part of several: a separator follows, so ("ab", "c") differs from ("a", "bc").
  Fnv1a64& add_part(std::string_view text) {
    add(text);
    hash_ = (hash_ ^ 0x1f) * kPrime;
    return *this;
  }
  std::uint64_t value() const { return hash_; }
  // Sixteen lowercase hex digits. Written out, not through fmt: a 100k-row sync makes one for
  // every row's content and every create's key.
  std::string hex() const {
    constexpr std::string_view kDigits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i)
      out[static_cast<std::size_t>(i)] = kDigits[(hash_ >> (4 * (15 - i))) & 0xF];
    return out;
  }

 private:
  static constexpr std::uint64_t kPrime = 0x100000001b3ULL;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace crmsync
