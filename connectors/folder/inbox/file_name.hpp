// connectors/folder/inbox/file_name.hpp — checks on names found in the inbox and a safe way to
// put any name into a log line. Reps' file names are untrusted: they can hold control characters
// (log injection, terminal escapes), bidi overrides (names that read differently than they are)
// or bytes that are not UTF-8 (names written by old Samba clients or archives).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crmsync::folder {

// The name with every byte that is not printable, valid UTF-8 replaced by an escape: C0/DEL and
// invalid bytes as \xNN, C1 controls and bidi controls as \u{NNNN}, and a backslash as "\\".
// The result is printable UTF-8 and maps back to exactly one input.
std::string escape_for_log(std::string_view name);

bool is_valid_utf8(std::string_view text) noexcept;

// Why a file or folder name is refused as inbox input (plain words for the rep's report), or
// nullopt when it is acceptable: valid UTF-8, no control or bidi-control characters, not empty.
std::optional<std::string> check_file_name(std::string_view name);

}  // namespace crmsync::folder
