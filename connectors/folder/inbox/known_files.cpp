#include "connectors/folder/inbox/known_files.hpp"

namespace crmsync::folder {

void InMemoryKnownFiles::put(KnownFile file) {
  std::string key = file.rep + '/' + file.relative_path;
  files_.insert_or_assign(std::move(key), std::move(file));
}

void InMemoryKnownFiles::erase(const std::string& rep, const std::string& relative_path) {
  files_.erase(rep + '/' + relative_path);
}

std::vector<KnownFile> InMemoryKnownFiles::all() const {
  std::vector<KnownFile> out;
  out.reserve(files_.size());
  for (const auto& [key, file] : files_)
    out.push_back(file);
  return out;
}

}  // namespace crmsync::folder
