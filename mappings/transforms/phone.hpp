// mappings/transforms/phone.hpp — the phone transform's cache statistics, which the benchmark
// and the preview print. Everything else about phones is in phone.cpp.
#pragma once

#include <cstdint>

#include "mappings/transforms/transform.hpp"

namespace crmsync::mappings {

struct PhoneCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
};

// The statistics of a transform made by phone_transform(); zeros for any other transform.
PhoneCacheStats phone_cache_stats(const Transform& transform);

}  // namespace crmsync::mappings
