// mappings/transforms/phone.hpp — the phone transform's cache statistics, which the benchmark
// and the preview print, and the check of a region code, which the mapping's `phone_region`
// setting shares with the transform. Everything else about phones is in phone.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mappings/transforms/transform.hpp"

namespace crmsync::mappings {

struct PhoneCacheStats {
  std::uint64_t plain = 0;  // "+1" and ten digits, answered without libphonenumber or the cache
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
};

// The statistics of a transform made by phone_transform(); zeros for any other transform.
PhoneCacheStats phone_cache_stats(const Transform& transform);

// The region assumed for numbers written without '+' and a country code when neither the
// transform's `region` nor the mapping's `phone_region` (nor the rep) says otherwise.
inline constexpr std::string_view kDefaultPhoneRegion = "US";

// `text` as the upper-case ISO 3166 code libphonenumber knows ("de" -> "DE"), or nullopt.
std::optional<std::string> phone_region(std::string_view text);
// Why `text` is not a region, for diagnostics.
std::string unknown_phone_region(std::string_view text);

}  // namespace crmsync::mappings
