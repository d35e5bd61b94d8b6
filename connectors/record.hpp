// connectors/record.hpp — what every source yields: rows of cells with the provenance that lets a
// rep find the row again (rep, file, sheet, row number as the spreadsheet program shows it).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace crmsync {

using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

enum class CellKind : std::uint8_t {
  empty,
  text,     // text as written
  number,   // `text` holds the number as the program displays it, without exponent or a
            // trailing ".0" (phones and ids typed into Excel); `number` holds the value
  boolean,  // `text` is "TRUE" / "FALSE"
  date,     // `text` is ISO 8601 (2024-03-05 or 2024-03-05T14:30:00); `number` the serial
  error,    // a spreadsheet error value such as #N/A; `text` holds it
};

struct Cell {
  CellKind kind = CellKind::empty;
  std::string text;
  double number = 0;

  bool empty() const noexcept { return kind == CellKind::empty || text.empty(); }
};

// Identifies a source row for reports, audit and the plan JSON.
struct Provenance {
  std::string source;     // the configured source name ("reps")
  std::string owner;      // the rep (subfolder name: email or CRM username)
  std::string item;       // file path relative to the rep's folder, or a contact id
  std::string sheet;      // worksheet name; empty for CSV and vCard
  std::uint32_t row = 0;  // 1-based row as the spreadsheet shows it; 1-based card for vCards
  Timestamp modified{};   // the item's modification time (newest_wins compares it)
};

// The column names of one table (a CSV file, a worksheet, a vCard file's property set).
struct Header {
  std::vector<std::string> columns;
  std::uint32_t row = 0;  // the row the header was found on (0 when synthesised, as for vCards)
};

struct Record {
  Provenance from;
  std::shared_ptr<const Header> header;  // shared by all rows of the table
  std::vector<Cell> cells;               // by header column; may be shorter (ragged rows)
};

// A row that could not be read at all (a broken quote, invalid bytes). The rest of the file goes
// on.
struct RowError {
  Provenance from;
  std::uint32_t column = 0;  // 1-based, 0 when the whole row is affected
  std::string reason;        // plain words for the rep's report
};

}  // namespace crmsync
