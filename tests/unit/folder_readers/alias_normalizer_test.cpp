#include "connectors/folder/readers/alias_normalizer.hpp"

#include <gtest/gtest.h>

namespace crmsync::folder {
namespace {

TEST(AliasNormalizer, IgnoresCaseSpacesAndPunctuation) {
  EXPECT_EQ(normalize_alias("E-mail Address"), "emailaddress");
  EXPECT_EQ(normalize_alias("  EMAIL_ADDRESS "), "emailaddress");
  EXPECT_EQ(normalize_alias("Mobile #"), "mobile");
  EXPECT_EQ(normalize_alias("Assistant's Phone"), "assistantsphone");
}

TEST(AliasNormalizer, FoldsUnicodeCaseButKeepsAccents) {
  EXPECT_EQ(normalize_alias("PRÉNOM"), "prénom");
  EXPECT_NE(normalize_alias("Prénom"), normalize_alias("Prenom"));
  EXPECT_EQ(normalize_alias("STRASSE"), normalize_alias("strasse"));
}

TEST(AliasNormalizer, InvalidBytesAreDropped) {
  EXPECT_EQ(normalize_alias("Na\xFFme"), "name");
}

}  // namespace
}  // namespace crmsync::folder
