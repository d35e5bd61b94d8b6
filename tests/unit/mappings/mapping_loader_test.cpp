// The loader on the shipped presets and on small hand-written mappings.
#include "mappings/mapping_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/scratch_dir.hpp"

namespace crmsync::mappings {
namespace {

const std::filesystem::path kPresets =
    std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/mappings";

TEST(MappingLoader, EveryPresetLoadsAndPassesItsExamples) {
  Diagnostics diags;
  const auto mappings = validate_mapping_dir(kPresets, diags);
  EXPECT_FALSE(diags.has_errors()) << diags.render();
  std::vector<std::string> names;
  for (const auto& mapping : mappings)
    names.push_back(mapping.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"graph-contacts", "outlook-csv", "rep-contacts", "vcard"}));
  for (const auto& mapping : mappings)
    EXPECT_FALSE(mapping.examples.empty()) << mapping.name;
}

TEST(MappingLoader, ReadsTheRepContactsPreset) {
  Diagnostics diags;
  const auto mapping = load_mapping(kPresets / "rep-contacts.yaml", diags);
  ASSERT_TRUE(mapping) << diags.render();
  EXPECT_EQ(mapping->name, "rep-contacts");
  EXPECT_EQ(mapping->primary.object, "Contact");
  EXPECT_EQ(mapping->primary.key, (std::vector<std::string>{"Email", "LastName", "FirstName"}));
  ASSERT_EQ(mapping->primary.match.size(), 4U);
  EXPECT_EQ(mapping->primary.match[3].kind, MatchRule::Kind::fuzzy);
  EXPECT_DOUBLE_EQ(mapping->primary.match[3].threshold, 0.9);
  ASSERT_EQ(mapping->related.size(), 1U);
  EXPECT_EQ(mapping->related[0].object, "Account");
  const auto& last = mapping->primary.fields[1];
  EXPECT_EQ(last.name, "LastName");
  EXPECT_TRUE(last.required);
  ASSERT_TRUE(last.fallback);
  EXPECT_EQ(last.fallback->transforms.size(), 3U);
  for (const auto& field : mapping->primary.fields) {
    if (field.name == "Title") {
      EXPECT_EQ(field.policy, ConflictPolicy::newest_wins);
    }
    if (field.name == "Email") {
      EXPECT_EQ(field.policy, ConflictPolicy::fill_empty);
    }
    if (field.name == "OwnerId") {
      EXPECT_TRUE(field.is_lookup);
      EXPECT_EQ(field.lookup.value, "{{rep}}");
      EXPECT_EQ(field.policy, ConflictPolicy::never);
    }
  }
  const auto hint = header_hint(*mapping);
  EXPECT_NE(std::find(hint.begin(), hint.end(), "email"), hint.end());
  EXPECT_NE(std::find(hint.begin(), hint.end(), "mobile"), hint.end());
  EXPECT_NE(std::find(hint.begin(), hint.end(), "name"), hint.end());
}

TEST(MappingLoader, ShorthandFieldReadsAColumn) {
  Diagnostics diags;
  const auto mapping = load_mapping_text(
      "short.yaml", "object: Lead\nfields:\n  LastName: Surname\n  Company: [Firm, Company]\n",
      diags);
  ASSERT_TRUE(mapping) << diags.render();
  EXPECT_EQ(mapping->primary.fields[0].from, (std::vector<std::string>{"Surname"}));
  EXPECT_EQ(mapping->primary.fields[1].from, (std::vector<std::string>{"Firm", "Company"}));
}

TEST(MappingLoader, ValidateDirReportsEveryFileInOneRun) {
  const test_support::ScratchDir scratch("crmsync-mappings-dir");
  const auto& dir = scratch.path();
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  write("a.yaml", "object: Contact\nfields:\n  LastName: { from: Last, requird: true }\n");
  write("b.yml", "object: Contact\nfields:\n  LastName: { from: Last, transform: [titlecase] }\n");
  write("c.yaml", "object: Contact\nfields:\n  LastName: { from: Last }\n");
  write("notes.txt", "not a mapping");
  Diagnostics diags;
  const auto mappings = validate_mapping_dir(dir, diags);
  EXPECT_EQ(diags.error_count(), 2U) << diags.render();
  ASSERT_EQ(mappings.size(), 1U);
  EXPECT_EQ(mappings[0].name, "c");
}

TEST(MappingLoader, MissingDirectoryIsAnError) {
  Diagnostics diags;
  EXPECT_TRUE(validate_mapping_dir("/nonexistent/crmsync/mappings", diags).empty());
  EXPECT_TRUE(diags.has_errors());
}

}  // namespace
}  // namespace crmsync::mappings
