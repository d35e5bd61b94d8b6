#include "core/secrets/secret_ref.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/logging/redaction.hpp"

namespace crmsync {
namespace {

constexpr std::size_t kMaxSecretBytes = 64 * 1024;  // a private key is a few KiB

[[noreturn]] void fail(const SecretRef& ref, const std::string& why) {
  std::string where;
  if (!ref.where.file.empty()) where = ref.where.file + ":" + std::to_string(ref.where.line) + ": ";
  throw Error(ErrorCategory::config,
              where + "cannot read secret from " + ref.describe() + ": " + why);
}

// ${VAR} in a file path, as systemd units write "${CREDENTIALS_DIRECTORY}/sf.key".
std::string expand_variables(const SecretRef& ref) {
  std::string out;
  const std::string& in = ref.name;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '$' && i + 1 < in.size() && in[i + 1] == '{') {
      const auto close = in.find('}', i + 2);
      if (close == std::string::npos) fail(ref, "unclosed ${ in the path");
      const std::string name = in.substr(i + 2, close - i - 2);
      const char* value = std::getenv(name.c_str());
      if (value == nullptr) fail(ref, "environment variable " + name + " is not set");
      out += value;
      i = close;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::string read_secret_file(const SecretRef& ref, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ref, "the file does not exist or is not readable by this user");
  std::string value(kMaxSecretBytes + 1, '\0');
  in.read(value.data(), static_cast<std::streamsize>(value.size()));
  value.resize(static_cast<std::size_t>(in.gcount()));
  if (value.size() > kMaxSecretBytes) fail(ref, "the file is larger than 64 KiB");
  return value;
}

}  // namespace

std::string SecretRef::describe() const {
  switch (kind) {
    case Kind::file:
      return "file " + name;
    case Kind::credential:
      return "systemd credential " + name;
    case Kind::env:
      return "environment variable " + name;
    case Kind::none:
      return "nowhere (not configured)";
  }
  return "nowhere";
}

std::string resolve_secret(const SecretRef& ref) {
  std::string value;
  switch (ref.kind) {
    case SecretRef::Kind::none:
      fail(ref, "no secret is configured");
    case SecretRef::Kind::file: {
      std::filesystem::path path = expand_variables(ref);
      // Relative paths are relative to the file that names them (the config's directory).
      if (path.is_relative() && !ref.where.file.empty())
        path = std::filesystem::path(ref.where.file).parent_path() / path;
      value = read_secret_file(ref, path);
      break;
    }
    case SecretRef::Kind::credential: {
      const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
      if (dir == nullptr)
        fail(ref, "$CREDENTIALS_DIRECTORY is not set (is LoadCredential= in the unit?)");
      value = read_secret_file(ref, std::filesystem::path(dir) / ref.name);
      break;
    }
    case SecretRef::Kind::env: {
      const char* env = std::getenv(ref.name.c_str());
      if (env == nullptr) fail(ref, "the variable is not set");
      value = env;
      break;
    }
  }
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r'))
    value.pop_back();
  if (value.empty()) fail(ref, "it is empty");
  register_secret_value(value);
  return value;
}

}  // namespace crmsync
