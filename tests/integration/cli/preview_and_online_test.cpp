// `crmsync preview` and `crmsync validate --online` through the real binary: files from the demo
// inbox, mappings from config/mappings, and the sandbox org for the online check.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "tests/integration/sandbox/sandbox_fixture.hpp"
#include "tests/support/demo_xls_workbooks.hpp"

namespace {

using Result = sandbox_test::CommandResult;

Result run(const std::string& arguments) {
  return sandbox_test::run_command(std::string(CRMSYNC_BINARY) + " " + arguments);
}

const std::string kSource = CRMSYNC_SOURCE_DIR;
const std::string kInbox = kSource + "/config/demo/inbox";
const std::string kRepContacts = kSource + "/config/mappings/rep-contacts.yaml";

std::string quoted(const std::string& path) {
  return "'" + path + "'";
}

TEST(Preview, MapsAEuropeanCsvAndRejectsWithReasons) {
  const auto result = run("preview " + quoted(kInbox + "/bob.smith@acme.example/leads_export.csv")
                          + " --mapping " + quoted(kRepContacts) + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS) << result.out.substr(0, 300);
  int64_t mapped = 0;
  int64_t rejected = 0;
  ASSERT_EQ(root.at_pointer("/tables/0/summary/mapped").get(mapped), simdjson::SUCCESS);
  ASSERT_EQ(root.at_pointer("/tables/0/summary/rejected").get(rejected), simdjson::SUCCESS);
  EXPECT_EQ(mapped, 37);
  EXPECT_EQ(rejected, 1);
  // Accents survive Windows-1252 decoding and mapping.
  EXPECT_NE(result.out.find("Björn"), std::string::npos);
}

TEST(Preview, RawShowsWhatTheReaderSeesInAWorkbook) {
  const auto result = run("preview " + quoted(kInbox + "/frank.rossi@acme.example/Q3 pipeline.xlsx")
                          + " --raw --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS);
  std::string_view format;
  ASSERT_EQ(root["format"].get(format), simdjson::SUCCESS);
  EXPECT_EQ(format, "xlsx");
  simdjson::dom::array sheets;
  ASSERT_EQ(root["sheets"].get(sheets), simdjson::SUCCESS);
  EXPECT_GE(sheets.size(), 2u);
}

// A legacy .xls saved by a real spreadsheet program (Gnumeric, from the demo's .xlsx) maps exactly
// as the .xlsx does: same sheet chosen among several, same header and row numbers, phones stored
// as numbers still digits, dates ISO.
class XlsAsXlsx : public ::testing::TestWithParam<std::string> {};

TEST_P(XlsAsXlsx, MapsExactlyAsTheWorkbookItWasSavedFrom) {
  const auto rep = GetParam().substr(0, GetParam().find('/'));
  const auto name = GetParam().substr(GetParam().find('/') + 1);
  const auto xlsx = run("preview " + quoted(kInbox + "/" + rep + "/" + name + ".xlsx")
                        + " --mapping " + quoted(kRepContacts) + " --json");
  const auto xls = run("preview " + quoted(kSource + "/tests/data/xls/" + name + ".xls")
                       + " --mapping " + quoted(kRepContacts) + " --json");
  ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
  ASSERT_EQ(xls.exit_code, 0) << xls.err;
  // The documents differ only in the file name before the tables.
  const auto body = [](const std::string& json) { return json.substr(json.find("\"tables\"")); };
  EXPECT_GT(xls.out.size(), 10000u);
  EXPECT_EQ(body(xls.out), body(xlsx.out));
}

INSTANTIATE_TEST_SUITE_P(DemoWorkbooks, XlsAsXlsx, crmsync::testing::demo_xls_workbooks(),
                         crmsync::testing::DemoXlsTestName());

TEST(Preview, MissingFileAndUnknownMappingAreClearErrors) {
  EXPECT_EQ(run("preview /nonexistent/file.csv --mapping " + quoted(kRepContacts)).exit_code, 65);
  const auto result = run("-c /nonexistent/crmsync.yaml preview "
                          + quoted(kInbox + "/grace.lee@acme.example/contacts (2).csv"));
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("--mapping"), std::string::npos) << result.err;
}

class OnlineValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = sandbox_test::make_temp_dir();
    std::filesystem::create_directories(dir_ / "inbox");
    std::filesystem::copy(kSource + "/config/mappings", dir_ / "mappings");
    sandbox_ = std::make_unique<sandbox_test::SandboxProcess>(
        dir_ / "state", std::vector<std::string>{"--seed", kSource + "/config/demo/crm",
                                                 "--write-config", (dir_ / "crmsync.yaml").string(),
                                                 "--inbox", (dir_ / "inbox").string(),
                                                 "--mappings-dir", (dir_ / "mappings").string()});
    ASSERT_TRUE(sandbox_->started()) << sandbox_->startup_output();
  }
  void TearDown() override {
    sandbox_.reset();
    sandbox_test::remove_temp_dir(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<sandbox_test::SandboxProcess> sandbox_;
};

TEST_F(OnlineValidation, ShippedPresetsFitTheOrg) {
  const auto result = run("-c " + quoted((dir_ / "crmsync.yaml").string()) + " validate --online");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("checked against the CRM"), std::string::npos) << result.out;
}

TEST_F(OnlineValidation, AFieldTheOrgDoesNotHaveIsAnErrorAtItsLine) {
  const auto path = dir_ / "mappings" / "rep-contacts.yaml";
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  in.close();
  // A typo no offline check can know is wrong: only the org's describe() says so.
  text = std::regex_replace(text, std::regex("\n  Title:"), "\n  Titel:");
  text = std::regex_replace(text, std::regex("Title: newest_wins"), "Titel: newest_wins");
  std::ofstream(path) << text;
  EXPECT_EQ(run("-c " + quoted((dir_ / "crmsync.yaml").string()) + " validate").exit_code, 0);
  const auto result = run("-c " + quoted((dir_ / "crmsync.yaml").string()) + " validate --online");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("rep-contacts.yaml:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("Titel"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("did you mean 'Title'?"), std::string::npos) << result.err;
}

}  // namespace
