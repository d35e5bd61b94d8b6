// daemon/state/migrations.hpp — the state database's schema history. Each migration moves the
// schema from version N-1 to N inside one transaction; PRAGMA user_version records N. A database
// from a newer crmsync is refused rather than guessed at.
#pragma once

#include <string_view>
#include <vector>

namespace crmsync::state {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// In order; versions are 1, 2, 3, ... without gaps.
const std::vector<Migration>& migrations();

inline int latest_schema_version() {
  return static_cast<int>(migrations().size());
}

}  // namespace crmsync::state
