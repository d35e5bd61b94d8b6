#include "connectors/salesforce/salesforce_id.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

TEST(SalesforceId, SuffixMatchesRealIdPairs) {
  // Pairs from Salesforce docs and fixtures (reference §8).
  EXPECT_EQ(to_id18("001D000000IRFma"), "001D000000IRFmaIAH");
  EXPECT_EQ(to_id18("003RO0000035WQg"), "003RO0000035WQgYAM");
  EXPECT_EQ(to_id18("0018c00002FInbo"), "0018c00002FInboAAD");
  EXPECT_EQ(to_id18("a011s00000DML8X"), "a011s00000DML8XAAX");
  EXPECT_EQ(to_id18("00558000001N0Ke"), "00558000001N0KeAAK");
}

TEST(SalesforceId, EighteenCharacterIdsAreCheckedAndNormalised) {
  EXPECT_EQ(to_id18("003RO0000035WQgYAM"), "003RO0000035WQgYAM");
  EXPECT_EQ(to_id18("003RO0000035WQgyam"), "003RO0000035WQgYAM");  // suffix is case-safe
  EXPECT_FALSE(to_id18("003RO0000035WQgAAA"));                     // wrong suffix
  EXPECT_FALSE(to_id18("003RO0000035WQ"));                         // too short
  EXPECT_FALSE(to_id18("003RO0000035WQ-"));                        // not base 62
}

TEST(SalesforceId, WorldSmallIdsAreValid) {
  for (const char* id :
       {"0035g000022FmtXAAS", "0035g000085aRyMAAU", "0015g000001JTeKAAW", "0055g000005h8oOAAQ"})
    EXPECT_EQ(to_id18(id), id);
}

}  // namespace
}  // namespace crmsync::salesforce
