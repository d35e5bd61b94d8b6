#include "daemon/reconcile/diff/field_decision.hpp"

#include <gtest/gtest.h>

namespace crmsync::reconcile {
namespace {

using Action = FieldDecision::Action;
using mappings::ConflictPolicy;

FieldSides sides(std::string_view source, std::optional<std::string_view> crm,
                 ValueKind kind = ValueKind::text) {
  FieldSides s;
  s.source = source;
  s.crm = crm;
  s.kind = kind;
  return s;
}

TEST(FieldDecision, FillEmptyNeverClobbersGoodData) {
  EXPECT_EQ(decide_field(ConflictPolicy::fill_empty, sides("VP Sales", std::nullopt)).action,
            Action::write);
  EXPECT_EQ(decide_field(ConflictPolicy::fill_empty, sides("VP Sales", "")).action, Action::write);
  const auto kept = decide_field(ConflictPolicy::fill_empty, sides("VP Sales", "CFO"));
  EXPECT_EQ(kept.action, Action::keep);
  EXPECT_EQ(kept.reason, "the CRM already has a value (fill_empty)");
}

TEST(FieldDecision, EmptySourceNeverClearsTheCrm) {
  for (auto policy : {ConflictPolicy::fill_empty, ConflictPolicy::source_wins,
                      ConflictPolicy::newest_wins, ConflictPolicy::append})
    EXPECT_EQ(decide_field(policy, sides("  ", "CFO")).action, Action::unchanged);
}

TEST(FieldDecision, EquivalentValuesAreNotChanges) {
  EXPECT_EQ(decide_field(ConflictPolicy::source_wins,
                         sides("+14155550101", "(415) 555-0101", ValueKind::phone))
                .action,
            Action::unchanged);
  EXPECT_EQ(decide_field(ConflictPolicy::source_wins,
                         sides("bob@acme.com", "Bob@ACME.com", ValueKind::email))
                .action,
            Action::unchanged);
  EXPECT_EQ(decide_field(ConflictPolicy::source_wins, sides("Acme  Corp", "Acme Corp")).action,
            Action::unchanged);
  EXPECT_EQ(decide_field(ConflictPolicy::source_wins,
                         sides("+14155550101", "+14155550199", ValueKind::phone))
                .action,
            Action::write);
}

TEST(FieldDecision, EachPolicyWhenBothSidesDiffer) {
  EXPECT_EQ(decide_field(ConflictPolicy::source_wins, sides("VP", "CFO")).value, "VP");
  EXPECT_EQ(decide_field(ConflictPolicy::crm_wins, sides("VP", "CFO")).action, Action::keep);
  EXPECT_EQ(decide_field(ConflictPolicy::never, sides("VP", std::nullopt)).action, Action::keep);
  auto newer = sides("VP", "CFO");
  newer.source_modified =
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(2000));
  newer.crm_modified =
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(1000));
  EXPECT_EQ(decide_field(ConflictPolicy::newest_wins, newer).action, Action::write);
  std::swap(newer.source_modified, newer.crm_modified);
  EXPECT_EQ(decide_field(ConflictPolicy::newest_wins, newer).action, Action::keep);
  EXPECT_EQ(decide_field(ConflictPolicy::append, sides("met at expo", "called in May")).value,
            "called in May\nmet at expo");
  EXPECT_EQ(decide_field(ConflictPolicy::append, sides("expo", "met at expo")).action,
            Action::unchanged);
}

TEST(FieldDecision, PhoneEquivalenceNeedsEnoughDigits) {
  EXPECT_TRUE(equivalent_values("+4930123456", "030 123456", ValueKind::phone));
  EXPECT_FALSE(equivalent_values("+14155550101", "0101", ValueKind::phone));
}

}  // namespace
}  // namespace crmsync::reconcile
