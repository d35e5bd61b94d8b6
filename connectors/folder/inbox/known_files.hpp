// connectors/folder/inbox/known_files.hpp — what crmsync last knew about each inbox file, behind
// an interface: the state store (SQLite, another component) implements it for the daemon;
// InMemoryKnownFiles serves tests and `crmsync preview`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace crmsync::folder {

struct KnownFile {
  std::string rep;
  std::string relative_path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string sha256;  // lowercase hex

  friend bool operator==(const KnownFile&, const KnownFile&) = default;
};

class KnownFiles {
 public:
  virtual ~KnownFiles() = default;
  // Every file of this source the store knows, in any order.
  virtual std::vector<KnownFile> all() const = 0;
};

class InMemoryKnownFiles final : public KnownFiles {
 public:
  void put(KnownFile file);
  void erase(const std::string& rep, const std::string& relative_path);
  std::vector<KnownFile> all() const override;

 private:
  std::map<std::string, KnownFile> files_;  // by rep/path
};

}  // namespace crmsync::folder
