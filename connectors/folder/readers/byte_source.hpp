// connectors/folder/readers/byte_source.hpp — bytes in chunks, from a file or from memory (tests,
// fuzzing). A file source notices when the file is rewritten or replaced while it is read, so a
// half-old, half-new file is never taken for real data.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace crmsync::folder {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to buffer.size() bytes; 0 at the end.
  virtual std::size_t read(std::span<char> buffer) = 0;
  // Throws crmsync::Error(transient) when the underlying file changed since it was opened.
  virtual void check_unchanged() const {}
};

class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(std::string_view bytes) : bytes_(bytes) {}
  std::size_t read(std::span<char> buffer) override;

 private:
  std::string_view bytes_;
};

class FileByteSource final : public ByteSource {
 public:
  explicit FileByteSource(const std::filesystem::path& path);
  ~FileByteSource() override;
  FileByteSource(const FileByteSource&) = delete;
  FileByteSource& operator=(const FileByteSource&) = delete;

  std::size_t read(std::span<char> buffer) override;
  void check_unchanged() const override;
  std::uint64_t size() const noexcept { return size_; }
  // Up to buffer.size() bytes at `offset` (fewer at the end), without moving the read position.
  std::size_t read_at(std::uint64_t offset, std::span<unsigned char> buffer) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  ino_t inode_ = 0;
  std::int64_t mtime_ns_ = 0;
};

}  // namespace crmsync::folder
