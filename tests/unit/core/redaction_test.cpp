// No secret reaches a log line: each pattern, registered secret values, and the real sinks.
#include "core/logging/redaction.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/logging/logging.hpp"
#include "tests/support/scratch_dir.hpp"

namespace crmsync {
namespace {

TEST(Redaction, AuthorizationHeadersAndBearerTokens) {
  const auto out = redact("> Authorization: Bearer 00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog");
  EXPECT_EQ(out.find("AR8AQJ"), std::string::npos) << out;
  EXPECT_NE(out.find("Authorization"), std::string::npos);
  EXPECT_EQ(redact("token is Bearer abcdefgh12345678").find("abcdefgh"), std::string::npos);
}

TEST(Redaction, JsonAndFormFields) {
  const auto json = redact(
      R"({"access_token":"eyJhbGciOi.secret.part","instance_url":"https://x","refresh_token":"5Aep861","client_secret" : "abc\"def"})");
  EXPECT_EQ(json.find("eyJhbGciOi"), std::string::npos) << json;
  EXPECT_EQ(json.find("5Aep861"), std::string::npos) << json;
  EXPECT_EQ(json.find("abc"), std::string::npos) << json;
  EXPECT_NE(json.find("https://x"), std::string::npos) << json;
  const auto form =
      redact("grant_type=client_credentials&client_id=abc&client_secret=s3cr3t&assertion=eyJ.x.y");
  EXPECT_EQ(form.find("s3cr3t"), std::string::npos) << form;
  EXPECT_EQ(form.find("eyJ.x.y"), std::string::npos) << form;
  EXPECT_NE(form.find("client_id=abc"), std::string::npos) << form;
  EXPECT_EQ(redact("password=hunter2 user=bob"), "password=[REDACTED] user=bob");
}

TEST(Redaction, PrivateKeys) {
  const auto out = redact(
      "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY----- ok");
  EXPECT_EQ(out.find("MIIEow"), std::string::npos) << out;
  EXPECT_NE(out.find(" ok"), std::string::npos);
}

TEST(Redaction, RegisteredSecretValuesAnywhere) {
  register_secret_value("Zq9-unusual-secret-Kp2");
  EXPECT_EQ(redact("the value Zq9-unusual-secret-Kp2 leaked"), "the value [REDACTED] leaked");
  register_secret_value("abc");  // too short to register; would erase ordinary words
  EXPECT_EQ(redact("abc"), "abc");
}

TEST(Redaction, NothingToHideIsUntouched) {
  const std::string line = "synced 42 rows from alice@acme.example/My Contacts.xlsx";
  EXPECT_EQ(redact(line), line);
}

// The real console sink, writing to a real stderr, must redact what callers log.
TEST(Redaction, ConsoleLogLinesAreRedacted) {
  const test_support::ScratchDir scratch("crmsync-redaction");
  const auto path = scratch / "log.txt";
  std::fflush(stderr);
  const int saved = dup(2);
  FILE* capture = std::fopen(path.c_str(), "w");
  ASSERT_NE(capture, nullptr);
  dup2(fileno(capture), 2);
  init_logging({spdlog::level::info, LogTarget::console});
  register_secret_value("jwt-private-material-XYZ");
  {
    LogScope rep("rep", "alice@acme.example");
    spdlog::info("POST /services/oauth2/token client_secret=topsecret123 {}",
                 "Authorization: Bearer sk_live_abcdef123456");
    spdlog::warn("key was jwt-private-material-XYZ");
  }
  spdlog::default_logger()->flush();
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  std::fclose(capture);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const auto log = text.str();
  EXPECT_EQ(log.find("topsecret123"), std::string::npos) << log;
  EXPECT_EQ(log.find("sk_live_abcdef123456"), std::string::npos) << log;
  EXPECT_EQ(log.find("jwt-private-material-XYZ"), std::string::npos) << log;
  EXPECT_NE(log.find("[rep=alice@acme.example]"), std::string::npos) << log;
}

}  // namespace
}  // namespace crmsync

namespace crmsync {
namespace {

// systemd passes JOURNAL_STREAM=<dev>:<inode> of the stream it connected stderr to; a stderr
// redirected elsewhere must not be mistaken for the journal.
TEST(Logging, JournalIsDetectedOnlyWhenStderrIsThatStream) {
  struct stat st {};
  ASSERT_EQ(fstat(2, &st), 0);
  const std::string matching = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  setenv("JOURNAL_STREAM", matching.c_str(), 1);
  EXPECT_TRUE(stderr_is_journal());
  setenv("JOURNAL_STREAM", (std::to_string(st.st_dev) + ":1").c_str(), 1);
  EXPECT_FALSE(stderr_is_journal());
  setenv("JOURNAL_STREAM", "garbage", 1);
  EXPECT_FALSE(stderr_is_journal());
  unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(stderr_is_journal());
}

}  // namespace
}  // namespace crmsync
