#include "daemon/reconcile/match/person_match.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "daemon/reconcile/match/name_similarity.hpp"

namespace crmsync::reconcile {
namespace {

PersonKeys person(std::string first, std::string last, std::string domain = "",
                  std::string company = "") {
  PersonKeys keys;
  keys.first = std::move(first);
  keys.last = std::move(last);
  keys.email_domain = std::move(domain);
  keys.company_key = std::move(company);
  return keys;
}

bool mentions(const MatchEvidence& evidence, const std::string& text) {
  return std::any_of(evidence.reasons.begin(), evidence.reasons.end(),
                     [&](const auto& reason) { return reason.find(text) != std::string::npos; });
}

TEST(PersonMatch, NicknameWithSameCompanyIsAStrongMatch) {
  const auto evidence = score_person(person("bob", "smith", "acme.com", "acme"),
                                     person("robert", "smith", "acme.com", "acme"));
  EXPECT_GT(evidence.score, 0.95);
  EXPECT_TRUE(mentions(evidence, "'bob' is a form of 'robert'"));
  EXPECT_TRUE(mentions(evidence, "same company"));
}

TEST(PersonMatch, TypoInLastNameStillMatches) {
  const auto evidence = score_person(person("maria", "gonzalez", "", "globex"),
                                     person("maria", "gonzales", "", "globex"));
  EXPECT_GT(evidence.score, 0.9);
  EXPECT_TRUE(mentions(evidence, "last name 'gonzalez' ~ 'gonzales'"));
}

TEST(PersonMatch, SameNameAtAnotherCompanyFallsBelowAMatch) {
  const auto same =
      score_person(person("john", "smith", "", "acme"), person("john", "smith", "", "acme"));
  const auto other =
      score_person(person("john", "smith", "", "acme"), person("john", "smith", "", "initech"));
  EXPECT_DOUBLE_EQ(same.score, 1.0);
  EXPECT_LT(other.score, 0.9);
  EXPECT_TRUE(mentions(other, "different company"));
}

TEST(PersonMatch, MissingSignalsAreNeutralNotNegative) {
  const auto evidence =
      score_person(person("anna", "kowalski"), person("anna", "kowalski", "x.com", "x"));
  EXPECT_DOUBLE_EQ(evidence.score, 1.0);
}

TEST(PersonMatch, NoLastNameMeansNoFuzzyMatch) {
  EXPECT_EQ(score_person(person("anna", ""), person("anna", "kowalski")).score, 0.0);
}

TEST(PersonMatch, DifferentPeopleScoreLow) {
  EXPECT_LT(score_person(person("alice", "johnson"), person("hector", "silva")).score, 0.5);
}

TEST(BlockingKeys, NicknamesAndTyposShareABlock) {
  const auto row = blocking_keys(person("bob", "smyth", "acme.com", "acme"));
  const auto crm = blocking_keys(person("robert", "smith", "acme.com", "acme"));
  const bool shared = std::any_of(row.begin(), row.end(), [&](const auto& key) {
    return std::find(crm.begin(), crm.end(), key) != crm.end();
  });
  EXPECT_TRUE(shared);
}

TEST(BlockingKeys, AreTheNameKeysAlwaysAndCompanyAndDomainWhenKnown) {
  const auto sound = soundex("smyth");
  const auto keys = blocking_keys(person("bob", "smyth", "acme.com", "acme"));
  const std::vector<std::string_view> all(keys.begin(), keys.end());
  EXPECT_EQ(all, (std::vector<std::string_view>{"ln:smyth:b", "ph:" + sound + ":bo",
                                                "co:acme:" + sound, "dom:acme.com:b"}));
  const auto bare = blocking_keys(person("", "smyth"));
  EXPECT_EQ(std::vector<std::string_view>(bare.begin(), bare.end()),
            (std::vector<std::string_view>{"ln:smyth:_", "ph:" + sound + ":_"}));
  EXPECT_EQ(blocking_keys(person("bob", "")).size(), 0u) << "no last name, no block";
}

}  // namespace
}  // namespace crmsync::reconcile

namespace crmsync::reconcile {
namespace {

// The fast score the search runs must equal the explained score plan shows.
TEST(PersonMatch, FastScoreEqualsExplainedScore) {
  const std::vector<std::pair<PersonKeys, PersonKeys>> pairs{
      {person("bob", "smith", "acme.com", "acme"), person("robert", "smith", "acme.com", "acme")},
      {person("j", "doe"), person("john", "doe", "x.com")},
      {person("maria", "gonzalez", "", "globex"), person("marie", "gonzales", "g.com", "initech")},
      {person("", "lee"), person("anna", "lee")}};
  for (const auto& [a, b] : pairs)
    EXPECT_DOUBLE_EQ(similarity_score(view_of(a), view_of(b)), score_person(a, b).score)
        << a.first << " " << a.last;
}

}  // namespace
}  // namespace crmsync::reconcile

namespace crmsync::reconcile {
namespace {

// Two people at one company with one first name are still two people: identity needs both names
// to agree (a typo apart at most), whatever company and domain add. These pairs come from the
// demo world and a generated one, where they had scored 0.82-0.94.
TEST(PersonMatch, ColleaguesWithDisagreeingNamesAreNotOnePerson) {
  const std::vector<std::pair<PersonKeys, PersonKeys>> colleagues{
      {person("mateo", "anderson", "parker.example.com", "parker"),
       person("mateo", "sanchez", "parker.example.com", "parker")},
      {person("nicholas", "craneson", "vg.example.com", "vandelay gold"),
       person("nicholas", "craneford", "vg.example.com", "vandelay gold")},
      {person("nicholas", "colewell", "be.example.com", "beacon eltonex"),
       person("thomas", "colewell", "be.example.com", "beacon eltonex")},
      {person("james", "lindqvist", "bj.example.com", "brown jones"),
       person("lars", "lindqvist", "bj.example.com", "brown jones")}};
  for (const auto& [a, b] : colleagues) {
    const auto evidence = score_person(a, b);
    EXPECT_LE(evidence.score, 0.5) << a.first << " " << a.last << " / " << b.first << " " << b.last;
    EXPECT_EQ(evidence.reasons.back(), "the names disagree: not the same person");
    EXPECT_DOUBLE_EQ(similarity_score(view_of(a), view_of(b)), evidence.score);
    EXPECT_EQ(similarity_score(view_of(a), view_of(b), 0.8), 0.0);
  }
}

TEST(PersonMatch, TyposNicknamesAndInitialsStillAgree) {
  EXPECT_GE(score_person(person("jon", "smyth", "acme.com", "acme"),
                         person("john", "smith", "acme.com", "acme"))
                .score,
            0.92);
  EXPECT_GE(score_person(person("bob", "mcdonald", "acme.com", "acme"),
                         person("robert", "macdonald", "acme.com", "acme"))
                .score,
            0.92);
  EXPECT_GE(score_person(person("k", "lindqvist"), person("karin", "lindqvist")).score, 0.9);
}

TEST(TypoDistance, CountsEditsUpToTheLimit) {
  EXPECT_EQ(typo_distance("smith", "smith"), 0);
  EXPECT_EQ(typo_distance("smith", "smyth"), 1);
  EXPECT_EQ(typo_distance("smith", "msith"), 1);  // swapped neighbours
  EXPECT_EQ(typo_distance("smith", "smiths"), 1);
  EXPECT_EQ(typo_distance("craneson", "craneford"), 3);
  EXPECT_EQ(typo_distance("anderson", "sanchez", 2), 3);  // capped at limit + 1
  EXPECT_EQ(typo_distance("", "abc"), 3);
}

// The full optimal-string-alignment table, no band and no early exit: what the fast one must equal.
int reference_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

TEST(TypoDistance, EqualsTheFullTableUpToTheLimit) {
  // Few letters, so random names share many and the band's edges are exercised.
  std::mt19937 random(7);
  auto name = [&] {
    std::string out(random() % 11, 'a');
    for (auto& c : out)
      c = static_cast<char>('a' + random() % 3);
    return out;
  };
  for (int n = 0; n < 20000; ++n) {
    const auto a = name();
    const auto b =
        random() % 4 == 0 ? a.substr(0, a.size() / 2) + "b" + a.substr(a.size() / 2) : name();
    for (int limit = 1; limit <= 3; ++limit)
      ASSERT_EQ(typo_distance(a, b, limit), std::min(reference_distance(a, b), limit + 1))
          << a << " / " << b << " limit " << limit;
  }
}

TEST(LastNameSignature, NeverRulesOutANameATypoAway) {
  const std::string names[] = {"smith",    "smyth",     "msith",     "smiths",
                               "mcdonald", "macdonald", "lindqvist", "lindquist",
                               "o'brien",  "obrien",    "craneson"};
  for (const auto& a : names)
    for (const auto& b : names) {
      const int allowed = std::min(a.size(), b.size()) >= 8 ? 2 : 1;
      if (typo_distance(a, b, allowed) <= allowed) {
        EXPECT_TRUE(may_reach_floor(last_name_signature(a), last_name_signature(b), 0.8))
            << a << " / " << b;
      }
    }
  // Different families are ruled out before they are scored, but only above the names cap.
  EXPECT_FALSE(
      may_reach_floor(last_name_signature("anderson"), last_name_signature("sanchez"), 0.8));
  EXPECT_TRUE(
      may_reach_floor(last_name_signature("anderson"), last_name_signature("sanchez"), 0.4));
  EXPECT_FALSE(may_reach_floor(last_name_signature(""), last_name_signature("smith"), 0.8));
}

}  // namespace
}  // namespace crmsync::reconcile
