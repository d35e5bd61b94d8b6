#include "daemon/reconcile/match/nicknames.hpp"

#include <gtest/gtest.h>

namespace crmsync::reconcile {
namespace {

TEST(Nicknames, BuiltinTableKnowsTheCommonForms) {
  const auto& table = NicknameTable::builtin();
  EXPECT_GT(table.group_count(), 50u);
  EXPECT_TRUE(table.same_person("bob", "robert"));
  EXPECT_TRUE(table.same_person("robert", "bob"));
  EXPECT_TRUE(table.same_person("bill", "william"));
  EXPECT_TRUE(table.same_person("liz", "elizabeth"));
  EXPECT_TRUE(table.same_person("bob", "rob"));  // two forms of one name
  EXPECT_TRUE(table.same_person("anna", "anna"));
  EXPECT_FALSE(table.same_person("bob", "william"));
  EXPECT_FALSE(table.same_person("", ""));
}

TEST(Nicknames, AmbiguousFormsBelongToEachOfTheirNames) {
  const auto& table = NicknameTable::builtin();
  EXPECT_TRUE(table.same_person("chris", "christopher"));
  EXPECT_TRUE(table.same_person("chris", "christina"));
  EXPECT_FALSE(table.same_person("christopher", "christina"));
}

TEST(Nicknames, MalformedLinesAreReportedWithTheirLine) {
  Diagnostics diags;
  const auto table =
      NicknameTable::parse("# comment\nrobert: bob\nno colon here\n\nann: annie\n", "n.txt", diags);
  EXPECT_EQ(table.group_count(), 2u);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].where.line, 3);
}

}  // namespace
}  // namespace crmsync::reconcile
