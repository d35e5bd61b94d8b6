// docs/mapping-reference.md is generated from the declarations; this fails when the checked-in
// page is stale. CRMSYNC_UPDATE_GOLDEN=1 rewrites it.
#include "mappings/reference_doc.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mappings/mapping_spec.hpp"
#include "mappings/transforms/registry.hpp"

namespace crmsync::mappings {
namespace {

TEST(MappingReference, CheckedInPageIsUpToDate) {
  const auto path = std::filesystem::path(CRMSYNC_SOURCE_DIR) / "docs/mapping-reference.md";
  const auto generated = render_mapping_reference();
  if (std::getenv("CRMSYNC_UPDATE_GOLDEN") != nullptr) std::ofstream(path) << generated;
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), generated)
      << "docs/mapping-reference.md is stale: run the test with CRMSYNC_UPDATE_GOLDEN=1";
}

TEST(MappingReference, DocumentsEveryTransformAndFieldOption) {
  const auto page = render_mapping_reference();
  for (const auto& decl : transform_catalog())
    EXPECT_NE(page.find("### `" + decl.name + "`"), std::string::npos) << decl.name;
  for (const auto key : field_spec().keys())
    EXPECT_NE(page.find("| `" + std::string(key) + "` |"), std::string::npos) << key;
  EXPECT_NE(page.find("newest_wins"), std::string::npos);
}

}  // namespace
}  // namespace crmsync::mappings
