// Pins the exact text of every kind of mapping diagnostic (STYLE.md rule 2). Each golden/NAME.yaml
// is loaded (and its examples run); the rendered diagnostics must equal golden/NAME.txt.
// CRMSYNC_UPDATE_GOLDEN=1 rewrites the .txt files after an intended change; review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mappings/mapping_examples.hpp"
#include "mappings/mapping_loader.hpp"

namespace crmsync::mappings {
namespace {

const std::filesystem::path kGolden =
    std::filesystem::path(CRMSYNC_SOURCE_DIR) / "tests/unit/mappings/golden";

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> cases() {
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(kGolden))
    if (entry.path().extension() == ".yaml") found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

class GoldenDiagnostics : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(GoldenDiagnostics, RenderExactly) {
  const auto& yaml = GetParam();
  Diagnostics diags;
  // A relative name keeps the pinned text independent of where the checkout lives.
  auto mapping = load_mapping_text(yaml.filename().string(), read(yaml), diags);
  if (mapping) run_examples(*mapping, diags);
  ASSERT_TRUE(diags.has_errors()) << "every golden case is a broken mapping";
  const auto expected_path = std::filesystem::path(yaml).replace_extension(".txt");
  const auto actual = diags.render();
  if (std::getenv("CRMSYNC_UPDATE_GOLDEN") != nullptr) std::ofstream(expected_path) << actual;
  EXPECT_EQ(actual, read(expected_path)) << "golden: " << expected_path;
}

INSTANTIATE_TEST_SUITE_P(Mappings, GoldenDiagnostics, ::testing::ValuesIn(cases()),
                         [](const auto& test_case) { return test_case.param.stem().string(); });

}  // namespace
}  // namespace crmsync::mappings
