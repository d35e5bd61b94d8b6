#include "core/secrets/secret_ref.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/logging/redaction.hpp"

namespace crmsync {
namespace {

// One directory per test process, removed when the process exits.
struct SecretDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("crmsync-secret-" + std::to_string(getpid()));
  SecretDir() { std::filesystem::create_directories(path); }
  ~SecretDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

std::filesystem::path temp_dir() {
  static const SecretDir dir;
  return dir.path;
}

TEST(SecretRef, FileIsReadTrimmedAndRegisteredForRedaction) {
  const auto dir = temp_dir();
  std::ofstream(dir / "sf.secret") << "file-secret-value-123\n";
  SecretRef ref{SecretRef::Kind::file, (dir / "sf.secret").string(), {}};
  EXPECT_EQ(resolve_secret(ref), "file-secret-value-123");
  EXPECT_EQ(redact("x file-secret-value-123 y"), "x [REDACTED] y");
}

TEST(SecretRef, RelativeFileIsRelativeToTheConfigThatNamesIt) {
  const auto dir = temp_dir();
  std::ofstream(dir / "relative.secret") << "relative-secret-abc";
  SecretRef ref{
      SecretRef::Kind::file, "relative.secret", {(dir / "crmsync.yaml").string(), 3, 5, 1}};
  EXPECT_EQ(resolve_secret(ref), "relative-secret-abc");
}

TEST(SecretRef, CredentialAndVariableExpansion) {
  const auto dir = temp_dir();
  std::ofstream(dir / "sf.key") << "credential-value-xyz";
  setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
  EXPECT_EQ(resolve_secret({SecretRef::Kind::credential, "sf.key", {}}), "credential-value-xyz");
  EXPECT_EQ(resolve_secret({SecretRef::Kind::file, "${CREDENTIALS_DIRECTORY}/sf.key", {}}),
            "credential-value-xyz");
  unsetenv("CREDENTIALS_DIRECTORY");
}

TEST(SecretRef, FailuresAreConfigErrorsThatNeverShowAValue) {
  setenv("CRMSYNC_TEST_EMPTY", "", 1);
  for (const SecretRef& ref : {SecretRef{SecretRef::Kind::file, "/nonexistent/secret", {}},
                               SecretRef{SecretRef::Kind::credential, "missing", {}},
                               SecretRef{SecretRef::Kind::env, "CRMSYNC_TEST_UNSET_VARIABLE", {}},
                               SecretRef{SecretRef::Kind::env, "CRMSYNC_TEST_EMPTY", {}}}) {
    try {
      resolve_secret(ref);
      ADD_FAILURE() << "resolved " << ref.describe();
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::config);
      EXPECT_NE(std::string(e.what()).find(ref.describe()), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace crmsync
