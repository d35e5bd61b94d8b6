#include "daemon/reconcile/match/name_similarity.hpp"

#include <gtest/gtest.h>

#include "daemon/reconcile/match/union_find.hpp"

namespace crmsync::reconcile {
namespace {

TEST(JaroWinkler, MatchesWinklersPublishedValues) {
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.961, 0.001);
  EXPECT_NEAR(jaro_winkler("dwayne", "duane"), 0.840, 0.001);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.813, 0.001);
  EXPECT_DOUBLE_EQ(jaro_winkler("smith", "smith"), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("", ""), 1.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", ""), 0.0);
  EXPECT_DOUBLE_EQ(jaro_winkler("abc", "xyz"), 0.0);
}

TEST(JaroWinkler, OneLetterTyposInRealNamesScoreHigh) {
  // Typos as world-small's reps make them.
  EXPECT_GT(jaro_winkler("nguyen", "nguyem"), 0.93);
  EXPECT_GT(jaro_winkler("okafor", "okafro"), 0.93);
  EXPECT_LT(jaro_winkler("smith", "jones"), 0.5);
}

TEST(Soundex, ClassicCodes) {
  EXPECT_EQ(soundex("robert"), "r163");
  EXPECT_EQ(soundex("rupert"), "r163");
  EXPECT_EQ(soundex("ashcraft"), "a261");  // h between same codes merges them
  EXPECT_EQ(soundex("tymczak"), "t522");
  EXPECT_EQ(soundex("pfister"), "p236");
  EXPECT_EQ(soundex("lee"), "l000");
  EXPECT_EQ(soundex(""), "");
}

TEST(FoldName, AccentsCasePunctuation) {
  EXPECT_EQ(fold_name("José"), "jose");
  EXPECT_EQ(fold_name("MÜLLER"), "muller");
  EXPECT_EQ(fold_name("O'Brien"), "obrien");
  EXPECT_EQ(fold_name("  van der  Berg "), "van der berg");
  EXPECT_EQ(fold_name("Jean-Luc"), "jean luc");
  EXPECT_EQ(fold_name("Łukasz Żółć"), "lukasz zolc");
}

TEST(UnionFind, MergesTransitively) {
  UnionFind sets(5);
  EXPECT_TRUE(sets.unite(0, 1));
  EXPECT_TRUE(sets.unite(3, 1));
  EXPECT_FALSE(sets.unite(0, 3));
  EXPECT_EQ(sets.find(0), sets.find(3));
  EXPECT_NE(sets.find(0), sets.find(2));
  EXPECT_EQ(sets.size_of(1), 3u);
}

}  // namespace
}  // namespace crmsync::reconcile
