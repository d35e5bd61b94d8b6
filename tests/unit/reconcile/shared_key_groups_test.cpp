// The groups clustering reads: rows sharing an email, a phone or an External ID value, across
// both halves of the rows, and the blocks fuzzy scoring compares within, without those over the
// limit.
#include "daemon/reconcile/plan/shared_key_groups.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace crmsync::reconcile {
namespace {

constexpr std::size_t kRows = 6000;  // enough for two halves

// Row n: a person of its own; rows that are multiples of 1000 share an email, rows 1 and 5001 a
// phone (the second of row 5001's two), and every fifth row is a Smith with an initial J (one
// blocking key for 1,200 rows, 600 in each half).
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
  keys[5001].phones.push_back(keys[1].phones.front());
  return keys;
}

SharedKeyGroups groups_of(const std::vector<PersonKeys>& keys, std::size_t at_most) {
  return group_by_shared_keys(
      keys.size(), [&](std::size_t n) -> const PersonKeys& { return keys[n]; }, at_most);
}

bool has_group(const std::vector<std::vector<std::uint32_t>>& groups,
               const std::vector<std::uint32_t>& rows) {
  return std::find(groups.begin(), groups.end(), rows) != groups.end();
}

TEST(SharedKeyGroups, RowsSharingAnEmailOrAPhoneAreOneGroupAcrossBothHalves) {
  const auto groups = groups_of(people(), 1000);
  ASSERT_EQ(groups.same_key.size(), 2U);
  EXPECT_TRUE(has_group(groups.same_key, {0, 1000, 2000, 3000, 4000, 5000}));
  EXPECT_TRUE(has_group(groups.same_key, {1, 5001}));
}

TEST(SharedKeyGroups, RowsSharingAnExternalIdValueAreOneGroup) {
  auto keys = people();
  keys[7].external_ids = {"Key__c=K-1"};
  keys[4007].external_ids = {"Other__c=9", "Key__c=K-1"};
  keys[4008].external_ids = {"Key__c=K-2"};
  const auto groups = groups_of(keys, 5000);
  EXPECT_TRUE(has_group(groups.same_key, {7, 4007}));
  for (const auto& group : groups.same_key)
    EXPECT_EQ(std::count(group.begin(), group.end(), 4008u), 0) << "a value of its own";
}

TEST(SharedKeyGroups, ABlockOverTheLimitInBothHalvesTogetherIsLeftOut) {
  const auto keys = people();
  std::vector<std::uint32_t> smiths;
  for (std::uint32_t n = 0; n < kRows; n += 5)
    smiths.push_back(n);
  // 1,200 Smiths: 600 a half, each half under the limit, together over it.
  EXPECT_FALSE(has_group(groups_of(keys, 1000).blocks, smiths));
  const auto all = groups_of(keys, 1200);
  EXPECT_TRUE(has_group(all.blocks, smiths));
  for (const auto& block : all.blocks) {
    EXPECT_GT(block.size(), 1U);
    EXPECT_LE(block.size(), 1200U);
    EXPECT_TRUE(std::is_sorted(block.begin(), block.end()));
    EXPECT_EQ(std::adjacent_find(block.begin(), block.end()), block.end()) << "a row twice";
  }
}

TEST(SharedKeyGroups, AFewRowsAreGroupedOnOneThread) {
  std::vector<PersonKeys> keys(3);
  keys[0].last = keys[2].last = "ng";
  keys[0].first = keys[2].first = "an";
  keys[0].email = keys[2].email = "ng@acme.example";
  keys[1].email = "other@acme.example";
  const auto groups = groups_of(keys, 1000);
  EXPECT_EQ(groups.same_key, (std::vector<std::vector<std::uint32_t>>{{0, 2}}));
  EXPECT_TRUE(has_group(groups.blocks, {0, 2}));
  // A row without keys is in no group; one alone in its block is left out.
  for (const auto& block : groups.blocks)
    EXPECT_EQ(std::count(block.begin(), block.end(), 1U), 0);
}

// Keys of one length share a hash here, as two keys of a 64-bit hash as good as never do: rows
// are grouped by the keys themselves, never by a shared hash alone.
TEST(SharedKeyGroups, KeysThatShareAHashButDifferAreGroupsOfTheirOwn) {
  const KeyHash by_length = [](std::string_view key) -> std::uint64_t { return key.size(); };
  std::vector<PersonKeys> keys(kRows);
  for (std::size_t n = 0; n < kRows; ++n) {
    // Three emails of one length, each on a third of the rows; phones all of one length, and
    // one number shared by rows 2 and 5002 only.
    keys[n].email = std::string(1, static_cast<char>('a' + n % 3)) + "@acme.example";
    keys[n].phones = {"+1555" + std::to_string(1000000 + n)};
  }
  keys[5002].phones = keys[2].phones;
  const auto groups = group_by_shared_keys(
      keys.size(), [&](std::size_t n) -> const PersonKeys& { return keys[n]; }, 1000, by_length);
  ASSERT_EQ(groups.same_key.size(), 4U);
  for (std::uint32_t third = 0; third < 3; ++third) {
    std::vector<std::uint32_t> rows;
    for (std::uint32_t n = third; n < kRows; n += 3)
      rows.push_back(n);
    EXPECT_TRUE(has_group(groups.same_key, rows)) << "the rows of email " << third;
  }
  EXPECT_TRUE(has_group(groups.same_key, {2, 5002}));
}

TEST(SharedKeyGroups, NoRowsNoGroups) {
  const auto groups = groups_of({}, 1000);
  EXPECT_TRUE(groups.same_key.empty());
  EXPECT_TRUE(groups.blocks.empty());
}

}  // namespace
}  // namespace crmsync::reconcile
