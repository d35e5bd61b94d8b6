// connectors/folder/inbox/change_tracker.hpp — compares the files present now with what crmsync
// last knew and says what happened to each: added, changed, unchanged, renamed, removed. Content
// decides, not timestamps: a file whose mtime moved but whose SHA-256 did not is unchanged (not
// re-read); a known hash under a new path of the same rep is a rename (its rows keep their links).
// Size+mtime equal to the known state is trusted as unchanged without hashing, as rsync and git
// do, so a steady inbox costs no reads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connectors/folder/inbox/inbox_layout.hpp"
#include "connectors/folder/inbox/known_files.hpp"

namespace crmsync::folder {

enum class ChangeKind { added, changed, unchanged, renamed, removed };
std::string_view to_string(ChangeKind kind) noexcept;

struct FileChange {
  ChangeKind kind;
  std::string rep;
  std::string relative_path;      // the current path; the old one for `removed`
  std::string previous_path;      // for `renamed`
  std::optional<InboxFile> file;  // absent for `removed`
  std::string sha256;             // current content hash; the known one for `removed`
  bool metadata_only = false;     // unchanged content but new size/mtime to store
};

struct HashFailure {
  InboxFile file;
  std::string reason;  // the error's message; the file is neither added nor removed this time
};

struct ChangeSet {
  std::vector<FileChange> changes;  // sorted by rep, then path
  std::vector<HashFailure> failures;
};

// Returns the lowercase hex SHA-256 of a file; throws crmsync::Error when it cannot be read.
using ContentHasher = std::function<std::string(const InboxFile&)>;

// Snapshot form (`sync --once`, `plan`): every file of `current` is classified; known files
// absent from it are removed (or renamed).
ChangeSet classify_changes(const std::vector<InboxFile>& current, const KnownFiles& known,
                           const ContentHasher& hash);

// Daemon form: classifies only the files the watcher reported ready; `present` is the whole last
// scan. Files present but not yet ready are neither classified nor removed. A known file that
// vanished is reported removed only when no pending file of the same rep has its size: that one
// may be the same file renamed and still inside its stability window, and reporting the removal
// first would turn the rename into a removal plus an addition (losing the rows' links).
ChangeSet classify_changes(const std::vector<InboxFile>& ready,
                           const std::vector<InboxFile>& present, const KnownFiles& known,
                           const ContentHasher& hash);

}  // namespace crmsync::folder
