#include "core/yaml/strict_yaml.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "tests/support/scratch_dir.hpp"

namespace crmsync {
namespace {

TEST(StrictYaml, DuplicateKeysAreErrorsEvenThoughYamlCppAcceptsThem) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("f.yaml", "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", diags));
  ASSERT_EQ(diags.error_count(), 2u) << diags.render();
  EXPECT_EQ(diags.all()[0].message, "duplicate key 'c' (first defined on line 3)");
  EXPECT_EQ(diags.all()[0].where.line, 4);
  EXPECT_EQ(diags.all()[1].message, "duplicate key 'a' (first defined on line 1)");
}

TEST(StrictYaml, AliasBombIsRefusedQuicklyWithoutExpanding) {
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'k'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i)
      bomb += std::string(i ? "," : "") + "*" + previous;
    bomb += "]\n";
    previous = name;
  }
  Diagnostics diags;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(load_strict_yaml("bomb.yaml", bomb, diags));
  // 10^11 nodes if expanded; refusing must not be proportional to that.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_NE(diags.all()[0].message.find("alias bomb"), std::string::npos);
}

TEST(StrictYaml, ModestAliasesAreAllowed) {
  Diagnostics diags;
  auto root = load_strict_yaml("f.yaml", "base: &b { x: 1 }\nuse: *b\n", diags);
  ASSERT_TRUE(root) << diags.render();
  EXPECT_EQ((*root)["use"]["x"].as<int>(), 1);
}

TEST(StrictYaml, DeepNestingIsRefused) {
  Diagnostics diags;
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_FALSE(load_strict_yaml("deep.yaml", "a: " + deep + "\n", diags));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_NE(diags.all()[0].message.find("nesting"), std::string::npos) << diags.render();
}

TEST(StrictYaml, TabsInIndentationPointAtTheTab) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("t.yaml", "a:\n\tb: 1\n", diags));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].where.line, 2);
  EXPECT_EQ(diags.all()[0].where.column, 1);
}

TEST(StrictYaml, TabsInsideValuesAreFine) {
  Diagnostics diags;
  EXPECT_TRUE(load_strict_yaml("t.yaml", "a: \"x\\ty\"\nb: 'tab\there'\n", diags))
      << diags.render();
}

TEST(StrictYaml, InvalidUtf8PointsAtTheByte) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("u.yaml", "a: 1\nb: caf\xE9\n", diags));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].where.line, 2);
  EXPECT_EQ(diags.all()[0].where.column, 7);
  EXPECT_EQ(diags.all()[0].message, "invalid UTF-8 (byte 0xE9)");
}

TEST(StrictYaml, Utf16IsExplained) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("u.yaml",
                                std::string("\xFF\xFE"
                                            "a\0:\0",
                                            6),
                                diags));
  EXPECT_NE(diags.render().find("UTF-16"), std::string::npos);
}

TEST(StrictYaml, Utf8BomIsAccepted) {
  Diagnostics diags;
  auto root = load_strict_yaml("b.yaml",
                               "\xEF\xBB\xBF"
                               "a: 1\n",
                               diags);
  ASSERT_TRUE(root) << diags.render();
  EXPECT_EQ((*root)["a"].as<int>(), 1);
}

TEST(StrictYaml, OversizedFileIsRefusedWithoutReadingItWhole) {
  const test_support::ScratchDir scratch("crmsync-big-yaml");
  const auto path = scratch / "big.yaml";
  {
    std::ofstream out(path);
    out << "a: \"" << std::string(3 * 1024 * 1024, 'x') << "\"\n";
  }
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml_file(path, diags));
  EXPECT_NE(diags.render().find("larger than the limit"), std::string::npos);
}

TEST(StrictYaml, MissingFileSaysSo) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml_file("/nonexistent/crmsync.yaml", diags));
  EXPECT_EQ(diags.render(), "/nonexistent/crmsync.yaml: error: no such file\n");
}

TEST(StrictYaml, SyntaxErrorsCarryThePosition) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("s.yaml", "a: [1, 2\nb: 3\n", diags));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_GT(diags.all()[0].where.line, 0);
  EXPECT_EQ(diags.all()[0].message.rfind("YAML syntax: ", 0), 0u);
}

TEST(StrictYaml, SeveralDocumentsAreRefused) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("m.yaml", "a: 1\n---\nb: 2\n", diags));
  EXPECT_NE(diags.render().find("more than one YAML document"), std::string::npos);
}

}  // namespace
}  // namespace crmsync

namespace crmsync {
namespace {

// Found by fuzzing: yaml-cpp turns an alias inside its own anchor into a cyclic graph.
TEST(StrictYaml, AliasInsideItsOwnAnchorIsRefused) {
  Diagnostics diags;
  EXPECT_FALSE(load_strict_yaml("c.yaml", "b: &b [x, *b]\n", diags));
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_NE(diags.all()[0].message.find("cycle"), std::string::npos) << diags.render();
  Diagnostics map_diags;
  EXPECT_FALSE(load_strict_yaml("c.yaml", "a: &a { self: *a }\n", map_diags));
}

}  // namespace
}  // namespace crmsync

namespace crmsync {
namespace {

// Found by fuzzing: asking yaml-cpp for the position of a missing key's node throws.
TEST(StrictYaml, MissingNodesHaveAFileLevelLocation) {
  Diagnostics diags;
  auto root = load_strict_yaml("m.yaml", "a: 1\n", diags);
  ASSERT_TRUE(root);
  const auto where = location_of((*root)["absent"], "m.yaml");
  EXPECT_EQ(where.line, 0);
  EXPECT_EQ(where.file, "m.yaml");
}

}  // namespace
}  // namespace crmsync
