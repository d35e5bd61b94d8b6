#include "daemon/reconcile/match/matcher.hpp"

#include <gtest/gtest.h>

namespace crmsync::reconcile {
namespace {

IndexedRecord contact(std::string id, std::string first, std::string last, std::string email,
                      std::vector<std::string> phones = {}, std::string company = "") {
  IndexedRecord record;
  record.id = std::move(id);
  record.owner_id = "005000000000001AAA";
  record.modstamp = "2026-01-01T00:00:00.000Z";
  record.keys.first = std::move(first);
  record.keys.last = std::move(last);
  record.keys.email = email;
  if (const auto at = email.find('@'); at != std::string::npos)
    record.keys.email_domain = email.substr(at + 1);
  record.keys.phones = std::move(phones);
  record.keys.company_key = std::move(company);
  return record;
}

PersonKeys row(std::string first, std::string last, std::string email = "",
               std::vector<std::string> phones = {}, std::string company = "") {
  return contact("", std::move(first), std::move(last), std::move(email), std::move(phones),
                 std::move(company))
      .keys;
}

class MatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.add(contact("003A", "robert", "smith", "rsmith@acme.com", {"+14155550101"}, "acme"));
    index_.add(contact("003B", "maria", "gonzalez", "maria@globex.com", {}, "globex"));
    index_.add(contact("003C", "john", "doe", "shared@initech.com", {}, "initech"));
    index_.add(contact("003D", "jane", "roe", "shared@initech.com", {}, "initech"));
    index_.add(contact("003E", "anna", "lee", "", {}, "umbrella"));
    index_.add(contact("003F", "anna", "lee", "", {}, "umbrella"));
    index_.freeze();
  }
  CrmIndex index_;
  Matcher matcher_{index_, {}};
};

TEST_F(MatcherTest, StoredLinkWinsFirst) {
  const auto decision = matcher_.match(row("someone", "else", "rsmith@acme.com"), "003B");
  EXPECT_EQ(decision.kind, MatchKind::linked);
  EXPECT_EQ(index_.id(*decision.record), "003B");
}

TEST_F(MatcherTest, DeletedLinkFallsBackToMatching) {
  index_.remove("003B");
  const auto decision = matcher_.match(row("robert", "smith", "rsmith@acme.com"), "003B");
  EXPECT_EQ(decision.kind, MatchKind::email);
  EXPECT_EQ(index_.id(*decision.record), "003A");
}

TEST_F(MatcherTest, ExactEmailThenPhone) {
  EXPECT_EQ(matcher_.match(row("bob", "smith", "rsmith@acme.com"), std::nullopt).kind,
            MatchKind::email);
  const auto by_phone = matcher_.match(row("bob", "smith", "", {"+14155550101"}), std::nullopt);
  EXPECT_EQ(by_phone.kind, MatchKind::phone);
  EXPECT_EQ(index_.id(*by_phone.record), "003A");
}

TEST_F(MatcherTest, SharedEmailIsDisambiguatedByNameOrReviewed) {
  const auto by_name = matcher_.match(row("jane", "roe", "shared@initech.com"), std::nullopt);
  EXPECT_EQ(by_name.kind, MatchKind::email);
  EXPECT_EQ(index_.id(*by_name.record), "003D");
  const auto unclear = matcher_.match(row("pat", "kim", "shared@initech.com"), std::nullopt);
  EXPECT_EQ(unclear.kind, MatchKind::review);
  EXPECT_EQ(unclear.candidates.size(), 2u);
}

TEST_F(MatcherTest, FuzzyNicknameAndTypo) {
  const auto decision = matcher_.match(row("bob", "smyth", "", {}, "acme"), std::nullopt);
  EXPECT_EQ(decision.kind, MatchKind::fuzzy) << decision.evidence.front();
  EXPECT_EQ(index_.id(*decision.record), "003A");
  EXPECT_FALSE(decision.evidence.empty());
}

// Without a first name the last name alone speaks for identity: one letter off at the same company
// is a colleague as often as a typo, so a person decides. The same last name still matches.
TEST_F(MatcherTest, LastNameOneLetterOffWithoutAFirstNameIsReviewed) {
  const auto typo = matcher_.match(row("", "smyth", "x@acme.com", {}, "acme"), std::nullopt);
  EXPECT_EQ(typo.kind, MatchKind::review);
  ASSERT_EQ(typo.candidates.size(), 1u);
  EXPECT_EQ(index_.id(typo.candidates.front()), "003A");
  ASSERT_FALSE(typo.evidence.empty());
  EXPECT_NE(typo.evidence.front().find("no first name"), std::string::npos)
      << typo.evidence.front();
  const auto same = matcher_.match(row("", "smith", "x@acme.com", {}, "acme"), std::nullopt);
  EXPECT_EQ(same.kind, MatchKind::fuzzy);
  EXPECT_EQ(index_.id(*same.record), "003A");
}

TEST_F(MatcherTest, TwoEquallyGoodCandidatesGoToReviewNeverAGuess) {
  const auto decision = matcher_.match(row("anna", "lee", "", {}, "umbrella"), std::nullopt);
  EXPECT_EQ(decision.kind, MatchKind::review);
  EXPECT_EQ(decision.candidates.size(), 2u);
  EXPECT_NE(decision.evidence.front().find("equally close"), std::string::npos);
}

TEST_F(MatcherTest, StrangerIsNew) {
  EXPECT_EQ(matcher_.match(row("hector", "silva", "h@new.com"), std::nullopt).kind,
            MatchKind::none);
}

TEST_F(MatcherTest, AnExternalIdComesBeforeEmailAndIsComparedWhole) {
  auto keyed = contact("003K", "placeholder", "record", "");
  keyed.keys.external_ids = {"Key__c=K-9", "Other_Key__c=77"};
  index_.add(keyed);
  index_.freeze();
  auto nadia = row("nadia", "haddad", "rsmith@acme.com");
  nadia.external_ids = {"Key__c=K-9"};
  const auto decision = matcher_.match(nadia, std::nullopt);
  EXPECT_EQ(decision.kind, MatchKind::external_id);
  EXPECT_EQ(index_.id(*decision.record), "003K");
  EXPECT_NE(decision.evidence.front().find("Key__c=K-9"), std::string::npos);
  ASSERT_EQ(index_.find_external_id("Other_Key__c=77").size(), 1u) << "every key of a record";

  nadia.external_ids = {"Key__c=K-90"};
  EXPECT_EQ(matcher_.match(nadia, std::nullopt).kind, MatchKind::email) << "another value";
  nadia.external_ids = {"Other_Key__c=K-9"};
  EXPECT_EQ(matcher_.match(nadia, std::nullopt).kind, MatchKind::email) << "another field";
}

TEST(CrmIndex, ReAddingAnIdReplacesTheRecord) {
  CrmIndex index;
  index.add(contact("003X", "old", "name", "old@x.com"));
  index.freeze();
  index.add(contact("003X", "new", "name", "new@x.com"));
  index.freeze();
  EXPECT_EQ(index.size(), 1u);
  EXPECT_TRUE(index.find_email("old@x.com").empty());
  ASSERT_EQ(index.find_email("new@x.com").size(), 1u);
  EXPECT_EQ(index.keys(*index.find_id("003X")).first, "new");
}

TEST(CrmIndex, ExternalIdsAreFoundAndReplacedWithTheirRecord) {
  CrmIndex index;
  index.add(contact("003A", "ann", "lee", ""));
  index.freeze();
  EXPECT_TRUE(index.find_external_id("Key__c=1").empty()) << "an index without any";
  auto keyed = contact("003X", "old", "name", "");
  keyed.keys.external_ids = {"Key__c=1", "Legacy__c=A-1"};
  index.add(keyed);
  index.freeze();
  ASSERT_EQ(index.find_external_id("Legacy__c=A-1").size(), 1u);
  EXPECT_EQ(index.keys(*index.find_id("003X")).external_ids, keyed.keys.external_ids);
  keyed.keys.external_ids = {"Key__c=2"};
  index.add(keyed);
  index.freeze();
  EXPECT_TRUE(index.find_external_id("Key__c=1").empty());
  ASSERT_EQ(index.find_external_id("Key__c=2").size(), 1u);
  index.remove("003X");
  EXPECT_TRUE(index.find_external_id("Key__c=2").empty());
}

TEST(CrmIndex, GrowsPastItsFirstTable) {
  CrmIndex index;
  for (int i = 0; i < 5000; ++i)
    index.add(contact("003" + std::to_string(i), "f", "l" + std::to_string(i),
                      "e" + std::to_string(i) + "@x.com"));
  index.freeze();
  EXPECT_EQ(index.size(), 5000u);
  for (int i = 0; i < 5000; i += 499) {
    const auto found = index.find_id("003" + std::to_string(i));
    ASSERT_TRUE(found) << i;
    EXPECT_EQ(index.keys(*found).email, "e" + std::to_string(i) + "@x.com");
  }
  EXPECT_FALSE(index.find_id("nope"));
}

}  // namespace
}  // namespace crmsync::reconcile
