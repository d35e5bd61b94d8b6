#include "daemon/state/audit_records.hpp"

#include <string>

namespace crmsync::state {

Statement& AuditRecords::statement_for(std::size_t rows) {
  auto& statement = rows == 1 ? single_ : full_;
  if (!statement) {
    std::string sql =
        "INSERT INTO audit_records (run_id, at, object, crm_id, changes_json, rep, file, sheet, "
        "row_number) VALUES ";
    for (std::size_t row = 0; row < rows; ++row)
      sql += row == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    statement.emplace(db_.handle(), sql);
  }
  return *statement;
}

void AuditRecords::insert(std::span<const AuditRecord> records, std::string_view at) {
  std::size_t next = 0;
  const auto run = [&](std::size_t rows) {
    auto& statement = statement_for(rows);
    statement.reset();
    for (std::size_t row = 0; row < rows; ++row) {
      const auto& record = records[next++];
      const int first = static_cast<int>(row) * 9;
      // Unowned: every text outlives the statement's run (the caller's, and `at`); each run binds
      // all of them again.
      statement.bind(first + 1, run_id_).bind_unowned(first + 2, at);
      statement.bind_unowned(first + 3, record.object).bind_unowned(first + 4, record.crm_id);
      statement.bind_unowned(first + 5, record.changes_json).bind_unowned(first + 6, record.rep);
      statement.bind_unowned(first + 7, record.file).bind_unowned(first + 8, record.sheet);
      statement.bind(first + 9, record.row_number);
    }
    statement.run();
  };
  while (records.size() - next >= kRowsAStatement)
    run(kRowsAStatement);
  while (next < records.size())
    run(1);
}

void AuditRecords::close() {
  full_.reset();
  single_.reset();
}

}  // namespace crmsync::state
