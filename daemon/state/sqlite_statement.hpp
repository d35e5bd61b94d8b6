// daemon/state/sqlite_statement.hpp — thin RAII over the SQLite C API: a connection and prepared
// statements with typed binds. Hand-rolled because Debian 12 packages no maintained C++ SQLite
// wrapper; this keeps sqlite3_* calls (and their error codes) in one place.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace crmsync::state {

// Throws crmsync::Error: `transient` for SQLITE_BUSY/LOCKED, `permanent` otherwise.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  Statement& bind(int index, const std::optional<std::string>& value);
  // Binds the text without copying it: it must stay alive and unchanged until the statement has
  // run (or is reset). For the large or numerous values of bulk writes, which SQLite would
  // otherwise copy once more before copying them into its pages.
  Statement& bind_unowned(int index, std::string_view value);
  Statement& bind_unowned(int index, const std::string& value) {
    return bind_unowned(index, std::string_view(value));
  }
  // The same for bytes that are not text (a compressed payload), stored as a BLOB.
  Statement& bind_blob_unowned(int index, std::string_view bytes);

  // True while a row is available; false when done.
  bool step();
  // Runs to completion, for statements that return no rows.
  void run();
  void reset();

  std::int64_t integer(int column) const;
  std::string text(int column) const;
  // Valid until the next step(), reset() or column call on this statement.
  std::string_view text_view(int column) const;
  std::optional<std::string> optional_text(int column) const;
  bool is_null(int column) const;
  bool is_blob(int column) const;
  // A BLOB's bytes (a text's too); valid as text_view() is.
  std::string_view blob_view(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
};

class Connection {
 public:
  // Opens (creating when asked) with the busy timeout set; throws crmsync::Error.
  Connection(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  // Runs one or more statements that return nothing.
  void execute(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when the scope is left by an exception. IMMEDIATE takes
// the write lock up front, so two writers wait on the busy timeout instead of deadlocking.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace crmsync::state
