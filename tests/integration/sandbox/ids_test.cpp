// Id suffix algorithm against the real pairs of reference §8, and datetime normalisation.
#include "salesforce/ids.hpp"

#include <gtest/gtest.h>

#include "salesforce/values.hpp"

namespace sandbox::salesforce {
namespace {

TEST(SalesforceIds, SuffixMatchesRealIds) {
  EXPECT_EQ(to_id18("001D000000IRFma"), "001D000000IRFmaIAH");
  EXPECT_EQ(to_id18("003RO0000035WQg"), "003RO0000035WQgYAM");
  EXPECT_EQ(to_id18("0018c00002FInbo"), "0018c00002FInboAAD");
  EXPECT_EQ(to_id18("a011s00000DML8X"), "a011s00000DML8XAAX");
  EXPECT_EQ(to_id18("00558000001N0Ke"), "00558000001N0KeAAK");
}

TEST(SalesforceIds, CanonicalIdRestoresCaseFromTheSuffix) {
  EXPECT_EQ(canonical_id("001d000000irfmaiah"), "001D000000IRFmaIAH");
  EXPECT_EQ(canonical_id("001D000000IRFma"), "001D000000IRFmaIAH");
  EXPECT_EQ(canonical_id("001D000000IRFm"), std::nullopt);
  EXPECT_EQ(canonical_id("001D000000IRFm!"), std::nullopt);
}

TEST(SalesforceIds, GeneratedIdsCarryPrefixAndValidSuffix) {
  const std::string id = make_id("003", 12345);
  ASSERT_EQ(id.size(), 18U);
  EXPECT_EQ(id.substr(0, 3), "003");
  EXPECT_EQ(to_id18(id.substr(0, 15)), id);
  EXPECT_NE(make_id("003", 12346), id);
}

TEST(SalesforceValues, DatetimesNormaliseToUtc) {
  EXPECT_EQ(normalize_datetime("2024-04-25T15:50:37.123+02:00"), "2024-04-25T13:50:37.123+0000");
  EXPECT_EQ(normalize_datetime("2005-10-08T01:02:03Z"), "2005-10-08T01:02:03.000+0000");
  EXPECT_EQ(normalize_datetime("2021-04-14T18:52:45.000+0000"), "2021-04-14T18:52:45.000+0000");
  EXPECT_EQ(normalize_datetime("2021-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(normalize_date("1999-01-01"), "1999-01-01");
  EXPECT_EQ(normalize_date("1999-13-01"), std::nullopt);
}

}  // namespace
}  // namespace sandbox::salesforce
