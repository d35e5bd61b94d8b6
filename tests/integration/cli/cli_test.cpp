// The command-line contract, through the real binary: help on every command, version, exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/scratch_dir.hpp"

namespace {

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// `command` as the shell runs it; its standard output is read (with `2>&1`, its errors too).
Result run_shell(const std::string& command) {
  Result result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

Result run(const std::string& arguments) {
  return run_shell(std::string(CRMSYNC_BINARY) + " " + arguments + " 2>&1");
}

const std::string kGolden = std::string(CRMSYNC_SOURCE_DIR) + "/tests/unit/config/golden";

TEST(Cli, VersionComesFromTheProject) {
  const auto result = run("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output.rfind("crmsync ", 0), 0u) << result.output;
}

TEST(Cli, HelpListsTheBuiltCommands) {
  const auto result = run("--help");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.output.find("validate"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("-c,--config"), std::string::npos);
}

TEST(Cli, EveryCommandHasHelp) {
  for (const char* command : {"validate", "docs", "state", "state backup"}) {
    const auto result = run(std::string(command) + " --help");
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_NE(result.output.find("Usage:"), std::string::npos) << command << result.output;
  }
}

TEST(Cli, UsageErrorsExit64) {
  EXPECT_EQ(run("").exit_code, 64);
  EXPECT_EQ(run("no-such-command").exit_code, 64);
  EXPECT_EQ(run("validate --no-such-flag").exit_code, 64);
}

// Any command whose output cannot be written (a full disk) fails with EX_IOERR and says so,
// instead of exit 0 over an answer cut short.
TEST(Cli, OutputThatCannotBeWrittenExits74) {
  // Errors into the pipe read here, the output to /dev/full.
  const auto result =
      run_shell(std::string(CRMSYNC_BINARY) + " docs configuration 2>&1 >/dev/full");
  EXPECT_EQ(result.exit_code, 74) << result.output;
  EXPECT_NE(result.output.find("could not be written to standard output"), std::string::npos)
      << result.output;
  EXPECT_EQ(run("docs configuration >/dev/null").exit_code, 0);
  // The same for what CLI11 answers before any command runs.
  for (const std::string flag : {"--version", "--help"}) {
    const auto answer = run_shell(std::string(CRMSYNC_BINARY) + " " + flag + " 2>&1 >/dev/full");
    EXPECT_EQ(answer.exit_code, 74) << flag << ": " << answer.output;
    EXPECT_NE(answer.output.find("could not be written to standard output"), std::string::npos)
        << answer.output;
    EXPECT_EQ(run(flag + " >/dev/null").exit_code, 0) << flag;
  }
}

TEST(Cli, ValidateCleanConfigExits0) {
  const auto result = run("-c " + kGolden + "/valid.yaml validate");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("OK"), std::string::npos);
}

TEST(Cli, ValidateBrokenConfigExits78WithDiagnostics) {
  const auto result = run("-c " + kGolden + "/unknown_key.yaml validate");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.output.find("unknown_key.yaml:1:1: error: unknown setting 'stat_dir'"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("did you mean 'state_dir'?"), std::string::npos);
}

TEST(Cli, ValidateReadsConfigFromEnvironment) {
  const std::string command =
      "CRMSYNC_CONFIG=" + kGolden + "/valid.yaml " + CRMSYNC_BINARY + " validate >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 0);
}

TEST(Cli, MissingConfigExits78) {
  const auto result = run("-c /nonexistent/crmsync.yaml validate");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.output.find("no such file"), std::string::npos);
}

TEST(Cli, SecretLiteralIsNeverEchoed) {
  const auto result = run("-c " + kGolden + "/secret_literal.yaml validate");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_EQ(result.output.find("s3cr3t-Pa55w0rd"), std::string::npos) << result.output;
}

TEST(Cli, StateBackupWritesAnOpenableCopy) {
  const crmsync::test_support::ScratchDir scratch("crmsync-cli-state-backup");
  const auto& dir = scratch.path();
  std::filesystem::create_directories(dir / "mappings");
  std::ofstream(dir / "mappings" / "rep-contacts.yaml") << "# placeholder\n";
  std::ifstream valid(kGolden + "/valid.yaml");
  std::string text((std::istreambuf_iterator<char>(valid)), std::istreambuf_iterator<char>());
  text.replace(text.find("/var/lib/crmsync"), 16, (dir / "state").string());
  std::ofstream(dir / "crmsync.yaml") << text;
  const auto result =
      run("-c " + (dir / "crmsync.yaml").string() + " state backup " + (dir / "copy.db").string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::exists(dir / "copy.db"));
  EXPECT_NE(result.output.find("schema"), std::string::npos) << result.output;
  EXPECT_EQ(run("state").exit_code, 64);  // the subcommand is required
}

}  // namespace
