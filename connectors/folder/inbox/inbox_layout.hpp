// connectors/folder/inbox/inbox_layout.hpp — one scan of the inbox: which files are candidates,
// which entries are refused and why, which are skipped as temporaries. Layout:
//   <root>/<rep>/[subfolders/]<file>      input; the rep is the first-level folder name
//   <root>/<rep>/{reports,processed,failed}/   crmsync's own output, never read as input
// The scan never follows a symlink and never opens a file; it only lists directories through
// descriptors and lstat-s entries (fstatat AT_SYMLINK_NOFOLLOW).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/folder/inbox/inbox_options.hpp"
#include "connectors/folder/inbox/safe_open.hpp"
#include "connectors/record.hpp"

namespace crmsync::folder {

// crmsync's own subfolders of a rep folder.
inline constexpr std::string_view kReportsFolder = "reports";
inline constexpr std::string_view kProcessedFolder = "processed";
inline constexpr std::string_view kFailedFolder = "failed";
bool is_reserved_folder(std::string_view name) noexcept;

struct InboxFile {
  std::string rep;            // first-level folder name (rep email or CRM username)
  std::string relative_path;  // below the rep folder, '/'-separated (Provenance::item)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // st_mtim in nanoseconds since the epoch
  FileIdentity identity;

  std::string key() const { return rep + '/' + relative_path; }
  Timestamp modified() const;
};

struct RefusedEntry {
  std::string rep;            // empty for entries directly in the root
  std::string relative_path;  // as found; may hold any bytes: log it with escape_for_log
  Refusal refusal;
  std::string detail;  // plain words for the rep's report and the log

  std::string key() const { return rep + '/' + relative_path; }
};

struct SkippedEntry {
  std::string rep;
  std::string relative_path;
  std::string_view reason;  // from temporary_file_reason
};

struct ScanResult {
  std::vector<InboxFile> files;  // sorted by key
  std::vector<RefusedEntry> refused;
  std::vector<SkippedEntry> skipped;
  std::vector<std::string> directories;  // relative to the root, root-first: what to watch
};

// Throws Error(config) when the root cannot be opened; everything below it is reported in the
// result, never thrown, so one bad entry cannot stop the other reps' files.
ScanResult scan_inbox(const InboxOptions& options);

}  // namespace crmsync::folder
