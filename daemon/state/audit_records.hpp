// daemon/state/audit_records.hpp — writes the audit: one record per CRM record written, its
// written fields as JSON ([[field, old, new, policy], ...]) and the source row they came from
// (table audit_records, schema 7). A chunk's records go in statements of up to 100 rows: a
// 100k-record Bulk job's audit was 100k statements, and SQLite's per-statement work (reset,
// cursors, the program's start) was a third of their time (100k rows: 168 -> 109 ms).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "daemon/state/sqlite_statement.hpp"

namespace crmsync::state {

// Views: valid until the AuditRecords::insert() that takes them returns.
struct AuditRecord {
  std::string_view object;
  std::string_view crm_id;
  std::string_view changes_json;
  std::string_view rep;
  std::string_view file;
  std::string_view sheet;
  std::int64_t row_number = 0;
};

class AuditRecords {
 public:
  AuditRecords(Connection& db, std::int64_t run_id) : db_(db), run_id_(run_id) {}

  // All of them, written at `at` (the chunk's results were recorded then), in their order.
  // Inside the caller's transaction.
  void insert(std::span<const AuditRecord> records, std::string_view at);
  // Finalizes the statements: a connection with one still open cannot close, so its last
  // checkpoint would not run.
  void close();

  static constexpr std::size_t kRowsAStatement = 100;

 private:
  Statement& statement_for(std::size_t rows);

  Connection& db_;
  std::int64_t run_id_;
  std::optional<Statement> full_;    // kRowsAStatement rows
  std::optional<Statement> single_;  // one row: what is left over
};

}  // namespace crmsync::state
