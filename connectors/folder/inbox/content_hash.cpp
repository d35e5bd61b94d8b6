#include "connectors/folder/inbox/content_hash.hpp"

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

}  // namespace

std::string sha256_hex_of_fd(int fd) {
  const std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorCategory::permanent, "SHA-256 is not available from OpenSSL");
  }
  std::array<unsigned char, 64 * 1024> buffer{};
  off_t offset = 0;
  for (;;) {
    const ssize_t got = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorCategory::input,
                  std::string("cannot read the file: ") + std::strerror(errno));
    }
    if (got == 0) break;
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(got));
    offset += got;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0F];
  }
  return hex;
}

std::string hash_inbox_file(const InboxOptions& options, const InboxFile& file) {
  const UniqueFd root = open_inbox_root(options.root);
  const OpenedFile opened =
      open_regular_beneath(root.get(), file.key(), options.max_file_bytes, &file.identity);
  return sha256_hex_of_fd(opened.fd.get());
}

}  // namespace crmsync::folder
