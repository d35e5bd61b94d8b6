// Golden tests: the exact text of each kind of configuration diagnostic, so messages never
// degrade unnoticed. Regenerate after an intended change with CRMSYNC_UPDATE_GOLDEN=1 and review
// the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/config/crmsync_config.hpp"
#include "tests/support/scratch_dir.hpp"

namespace crmsync {
namespace {

const std::filesystem::path kGoldenDir =
    std::filesystem::path(CRMSYNC_SOURCE_DIR) / "tests/unit/config/golden";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ConfigGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ConfigGolden, DiagnosticTextIsPinned) {
  // Relative names keep the golden text independent of where the checkout lives.
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(kGoldenDir);
  Diagnostics diags;
  const auto config = load_config(GetParam() + ".yaml", diags);
  std::filesystem::current_path(previous);

  const std::string actual = diags.render();
  const auto expected_path = kGoldenDir / (GetParam() + ".expected");
  if (std::getenv("CRMSYNC_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << actual;
  }
  ASSERT_TRUE(std::filesystem::exists(expected_path)) << "no " << expected_path;
  EXPECT_EQ(actual, read_file(expected_path));
  EXPECT_FALSE(actual.empty());
}

std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kGoldenDir))
    if (entry.path().extension() == ".yaml" && entry.path().stem() != "valid")
      names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string case_name(const ::testing::TestParamInfo<std::string>& param) {
  return param.param;
}

INSTANTIATE_TEST_SUITE_P(Diagnostics, ConfigGolden, ::testing::ValuesIn(golden_cases()), case_name);

TEST(ConfigLoad, ValidFileLoadsWithDefaults) {
  Diagnostics diags;
  const auto config = load_config(kGoldenDir / "valid.yaml", diags);
  ASSERT_TRUE(config.has_value()) << diags.render();
  EXPECT_EQ(diags.all().size(), 0u);
  EXPECT_EQ(config->state_dir, "/var/lib/crmsync");
  EXPECT_EQ(config->status.listen.text(), "127.0.0.1:9464");
  EXPECT_EQ(config->log.level, spdlog::level::info);
  ASSERT_TRUE(config->crm);
  EXPECT_EQ(config->crm->type, "salesforce");
  ASSERT_EQ(config->sources.size(), 1u);
  EXPECT_EQ(config->sources[0]->name, "reps");
  EXPECT_EQ(config->mappings_dir, kGoldenDir / "mappings");
}

TEST(ConfigLoad, EveryErrorOfAFileIsReported) {
  const std::string text =
      "stat_dir: /x\nlog: { level: loud }\ncrm: { type: salesforce, instance_url: ftp://x, "
      "auth: { flow: client_credentials, client_id: a, client_secret: { env: S } } }\n"
      "sources: []\n";
  const test_support::ScratchDir scratch("crmsync-every-error");
  const auto path = scratch / "crmsync.yaml";
  std::ofstream(path) << text;
  Diagnostics diags;
  EXPECT_FALSE(load_config(path, diags).has_value());
  EXPECT_EQ(diags.error_count(), 3u) << diags.render();
}

TEST(ConfigLoad, ShippedExampleIsValidOnceItsMappingsExist) {
  Diagnostics diags;
  const auto config =
      load_config(std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/crmsync.yaml", diags);
  for (const auto& d : diags.all()) {
    // The shipped presets arrive with the mapping language; anything else is a real error.
    EXPECT_NE(d.message.find("no mapping named"), std::string::npos) << diags.render(d);
  }
}

}  // namespace
}  // namespace crmsync
