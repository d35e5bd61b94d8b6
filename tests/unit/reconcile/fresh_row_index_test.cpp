// The index of a plan's new rows, built in two halves: look-ups answer with the rows' own numbers
// in ascending order across both halves, and a block too large in both halves together is
// skipped as one index would skip it.
#include "daemon/reconcile/plan/fresh_row_index.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crmsync::reconcile {
namespace {

constexpr std::size_t kRows = 6000;  // enough for two halves

// Row n: a person of its own; rows that are multiples of 1000 share an email, and every fifth
// row is a Smith with an initial J (one blocking key for 1,200 rows, 600 in each half).
std::vector<PersonKeys> people() {
  std::vector<PersonKeys> keys(kRows);
  for (std::size_t n = 0; n < kRows; ++n) {
    auto& person = keys[n];
    person.first = n % 5 == 0 ? "j" + std::to_string(n) : "p" + std::to_string(n);
    person.last = n % 5 == 0 ? "smith" : "name" + std::to_string(n);
    person.email = n % 1000 == 0 ? "shared@acme.example" : std::to_string(n) + "@acme.example";
    person.email_domain = "acme.example";
    person.phones = {"+1555" + std::to_string(1000000 + n)};
  }
  return keys;
}

TEST(FreshRowIndex, LooksUpAcrossBothHalvesInRowOrder) {
  const auto keys = people();
  const FreshRowIndex index(kRows, [&](std::size_t n) -> const PersonKeys& { return keys[n]; });
  EXPECT_EQ(index.find_email("shared@acme.example"),
            (std::vector<RecordIndex>{0, 1000, 2000, 3000, 4000, 5000}));
  EXPECT_EQ(index.find_phone("+15551004501"), (std::vector<RecordIndex>{4501}));
  EXPECT_EQ(index.person(4501).last, "name4501");
  EXPECT_EQ(index.person(10).last, "smith");
  EXPECT_EQ(index.last_name_signature(4505), last_name_signature("smith"));
}

TEST(FreshRowIndex, ABlockTooLargeInBothHalvesTogetherIsSkipped) {
  const auto keys = people();
  const FreshRowIndex index(kRows, [&](std::size_t n) -> const PersonKeys& { return keys[n]; });
  const std::string smiths = "ln:smith:j";
  // 1,200 Smiths: 600 a half, each half under the limit, together over it.
  EXPECT_TRUE(index.find_block(smiths, 1000).empty());
  const auto all = index.find_block(smiths, 1200);
  ASSERT_EQ(all.size(), 1200U);
  EXPECT_EQ(all.front(), 0U);
  EXPECT_EQ(all[600], 3000U);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST(FreshRowIndex, AFewRowsAreOneIndex) {
  std::vector<PersonKeys> keys(3);
  keys[2].last = "ng";
  keys[2].email = "ng@acme.example";
  const FreshRowIndex index(3, [&](std::size_t n) -> const PersonKeys& { return keys[n]; });
  EXPECT_EQ(index.find_email("ng@acme.example"), (std::vector<RecordIndex>{2}));
  EXPECT_EQ(index.person(2).last, "ng");
}

}  // namespace
}  // namespace crmsync::reconcile
