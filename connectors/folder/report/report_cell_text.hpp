// connectors/folder/report/report_cell_text.hpp — making untrusted text safe for a report cell.
// Report cells echo what reps (and the CRM) wrote, so they can hold anything: bytes that are not
// UTF-8, characters XML forbids (a NUL or ESC makes the whole XLSX unreadable), and text that a
// spreadsheet program would run as a formula ("=HYPERLINK(...)", "+cmd|..."): CSV injection.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::folder {

// Invalid UTF-8 sequences become U+FFFD; characters not allowed in XML 1.0 (C0 controls other
// than tab, LF and CR; U+FFFE, U+FFFF) are removed; text beyond Excel's 32,767-character cell
// limit is cut (at a character boundary) and ends with "…".
std::string clean_cell_text(std::string_view text);

// OWASP's CSV-injection defence: a value starting with = + - @, tab or CR gets a leading single
// quote, so no spreadsheet program evaluates it. Applied in the XLSX too (inline strings are
// never formulas there, but a rep who re-saves the report as CSV would re-arm them).
std::string neutralize_formula(std::string_view text);

// clean_cell_text then neutralize_formula: what every text cell of a report goes through.
std::string safe_cell_text(std::string_view text);
// True when safe_cell_text would return the text unchanged (plain ASCII, no formula): nearly
// every cell, which a writer can then use as it is.
bool is_safe_cell_text(std::string_view text) noexcept;

// Escapes & < > " ' for XML text and attribute values.
std::string xml_escape(std::string_view text);
// The same, appended to `out`: a large document is written without a string per value.
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace crmsync::folder
