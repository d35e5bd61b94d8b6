// connectors/folder/inbox/consume_mover.hpp — `mode: consume`: after a successful sync a file
// moves to <rep>/processed/, and a file that cannot be read at all to <rep>/failed/ (its report
// goes beside it). The move never leaves the rep folder: both ends are reached through
// descriptors (O_NOFOLLOW walks), renameat2(RENAME_NOREPLACE) never overwrites an earlier file of
// the same name, and a collision gets a " (2)" suffix as file managers do.
#pragma once

#include <string>

#include "connectors/folder/inbox/inbox_layout.hpp"

namespace crmsync::folder {

enum class ConsumeDestination { processed, failed };

// Moves `file` into <rep>/processed/ or <rep>/failed/ (created when missing) under its own file
// name (subfolders are flattened). Returns the new path relative to the rep folder, such as
// "processed/My Contacts (2).xlsx". Throws FileRefused(changed) when the entry at that path is no
// longer the file the scan saw, FileRefused or Error(input) when it cannot be moved.
std::string move_consumed_file(const InboxOptions& options, const InboxFile& file,
                               ConsumeDestination destination);

// "name.xlsx" with attempt 2 -> "name (2).xlsx"; "archive.tar.gz" -> "archive.tar (2).gz";
// ".profile" -> ".profile (2)". Attempt 1 is the name itself.
std::string numbered_name(std::string_view name, unsigned attempt);

}  // namespace crmsync::folder
