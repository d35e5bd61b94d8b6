// docs/configuration.md is generated from the declarations; this fails when someone changes a
// setting without regenerating it (`crmsync docs configuration > docs/configuration.md`).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/settings/spec.hpp"
#include "daemon/config/crmsync_config.hpp"

namespace crmsync {
namespace {

TEST(ConfigurationReference, CheckedInCopyIsUpToDate) {
  const auto path = std::filesystem::path(CRMSYNC_SOURCE_DIR) / "docs/configuration.md";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            settings::render_reference(config_spec(), "crmsync configuration reference"))
      << "regenerate: crmsync docs configuration > docs/configuration.md";
}

TEST(ConfigurationReference, DocumentsEveryDeclaredSection) {
  const auto reference = settings::render_reference(config_spec(), "x");
  for (const char* section :
       {"## `crmsync.yaml`", "## `crm (type: salesforce)`", "## `crm (type: salesforce).auth`",
        "## `sources (type: folder)`", "`daily_budget_percent`", "`stable_for`", "*required*"})
    EXPECT_NE(reference.find(section), std::string::npos) << section;
}

}  // namespace
}  // namespace crmsync
