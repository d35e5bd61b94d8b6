// tests/unit/state/older_schema.hpp — a state database as an older crmsync left it: the
// migrations up to `version` applied, as that crmsync would have, for upgrade tests to fill.
#pragma once

#include <string>

#include "daemon/state/migrations.hpp"
#include "daemon/state/sqlite_statement.hpp"

namespace crmsync::state {

inline void migrate_to(Connection& db, int version) {
  for (const auto& migration : migrations()) {
    if (migration.version > version) break;
    db.execute(migration.sql);
    db.execute("PRAGMA user_version = " + std::to_string(migration.version));
  }
}

}  // namespace crmsync::state
