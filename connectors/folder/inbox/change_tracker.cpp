#include "connectors/folder/inbox/change_tracker.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

std::string key_of(const std::string& rep, const std::string& path) {
  return rep + '/' + path;
}

}  // namespace

std::string_view to_string(ChangeKind kind) noexcept {
  switch (kind) {
    case ChangeKind::added:
      return "added";
    case ChangeKind::changed:
      return "changed";
    case ChangeKind::unchanged:
      return "unchanged";
    case ChangeKind::renamed:
      return "renamed";
    case ChangeKind::removed:
      return "removed";
  }
  return "unknown";
}

ChangeSet classify_changes(const std::vector<InboxFile>& current, const KnownFiles& known,
                           const ContentHasher& hash) {
  return classify_changes(current, current, known, hash);
}

ChangeSet classify_changes(const std::vector<InboxFile>& ready,
                           const std::vector<InboxFile>& present_files, const KnownFiles& known,
                           const ContentHasher& hash) {
  const std::vector<InboxFile>& current = ready;
  std::map<std::string, KnownFile> known_by_key;
  for (KnownFile& file : known.all()) {
    std::string key = key_of(file.rep, file.relative_path);
    known_by_key.emplace(std::move(key), std::move(file));
  }
  std::set<std::string> present;
  for (const InboxFile& file : present_files)
    present.insert(file.key());
  std::set<std::string> ready_keys;
  for (const InboxFile& file : ready)
    ready_keys.insert(file.key());
  // (rep, size) of files present but not ready: possible renames still settling.
  std::set<std::pair<std::string, std::uint64_t>> pending_sizes;
  for (const InboxFile& file : present_files) {
    if (!ready_keys.contains(file.key())) pending_sizes.emplace(file.rep, file.size);
  }
  // Rename candidates: known files that are gone now, by (rep, hash). Renames never cross reps:
  // a file moved to another rep's folder changes owner, so it is a removal plus an addition.
  std::multimap<std::string, const KnownFile*> vanished_by_hash;
  for (const auto& [key, file] : known_by_key) {
    if (!present.contains(key)) vanished_by_hash.emplace(key_of(file.rep, file.sha256), &file);
  }

  ChangeSet result;
  std::set<std::string> renamed_from;
  for (const InboxFile& file : current) {
    const auto known_it = known_by_key.find(file.key());
    if (known_it != known_by_key.end() && known_it->second.size == file.size
        && known_it->second.mtime_ns == file.mtime_ns) {
      result.changes.push_back({ChangeKind::unchanged,
                                file.rep,
                                file.relative_path,
                                {},
                                file,
                                known_it->second.sha256,
                                false});
      continue;
    }
    std::string digest;
    try {
      digest = hash(file);
    } catch (const Error& error) {
      result.failures.push_back({file, error.what()});
      // Keep the known entry out of "removed": the file is there, only unreadable right now.
      continue;
    }
    if (known_it != known_by_key.end()) {
      const bool same = known_it->second.sha256 == digest;
      result.changes.push_back({same ? ChangeKind::unchanged : ChangeKind::changed,
                                file.rep,
                                file.relative_path,
                                {},
                                file,
                                digest,
                                same});
      continue;
    }
    auto range = vanished_by_hash.equal_range(key_of(file.rep, digest));
    if (range.first != range.second) {
      const KnownFile* old = range.first->second;
      vanished_by_hash.erase(range.first);
      renamed_from.insert(key_of(old->rep, old->relative_path));
      result.changes.push_back({ChangeKind::renamed, file.rep, file.relative_path,
                                old->relative_path, file, digest, false});
      continue;
    }
    result.changes.push_back(
        {ChangeKind::added, file.rep, file.relative_path, {}, file, digest, false});
  }
  for (const auto& [key, file] : known_by_key) {
    if (present.contains(key) || renamed_from.contains(key)) continue;
    if (pending_sizes.contains({file.rep, file.size})) continue;
    result.changes.push_back(
        {ChangeKind::removed, file.rep, file.relative_path, {}, std::nullopt, file.sha256, false});
  }
  std::sort(result.changes.begin(), result.changes.end(),
            [](const FileChange& a, const FileChange& b) {
              return std::tie(a.rep, a.relative_path) < std::tie(b.rep, b.relative_path);
            });
  return result;
}

}  // namespace crmsync::folder
