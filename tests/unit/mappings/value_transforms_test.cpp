// Email, phone, date, picklist and regex on values taken from shared/data/world-small/inbox.
#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <random>

#include "mappings/transforms/phone.hpp"
#include "tests/unit/mappings/transform_test_support.hpp"

namespace crmsync::mappings::testing {
namespace {

TEST(EmailTransform, NormalisesWhatRepsType) {
  auto email = make("email");
  EXPECT_EQ(run(*email, " patricia.rodriguez@webbmillerholdings.example.com "),
            "patricia.rodriguez@webbmillerholdings.example.com");
  EXPECT_EQ(run(*email, "AISHAN@GARCIA.EXAMPLE.COM"), "aishan@garcia.example.com");
  EXPECT_EQ(run(*email, "Lars.petrov@johnsonrice.example.com"),
            "lars.petrov@johnsonrice.example.com");
  EXPECT_EQ(run(*email, "mailto:ann@acme.com"), "ann@acme.com");
  EXPECT_EQ(run(*email, "Ann Lee <Ann@Acme.com>"), "ann@acme.com");
  EXPECT_EQ(run(*email, ""), "");
}

TEST(EmailTransform, InvalidRejectsTheRowWithTheReason) {
  auto email = make("email");
  EXPECT_EQ(run(*email, "john.smith(at)acme.com"),
            "REJECT(row): invalid email 'john.smith(at)acme.com': has no '@'");
  EXPECT_EQ(run(*email, "ann@@acme.com"),
            "REJECT(row): invalid email 'ann@@acme.com': has more "
            "than one '@'");
  EXPECT_EQ(run(*email, "ann@acme"),
            "REJECT(row): invalid email 'ann@acme': has a domain without a '.' and a top-level "
            "part");
  EXPECT_EQ(run(*email, "ann lee@acme.com"),
            "REJECT(row): invalid email 'ann lee@acme.com': contains ' ' before the '@'");
}

TEST(EmailTransform, InvalidCanRejectOnlyTheField) {
  auto email = make("email", {{"on_invalid", text("reject_field")}});
  EXPECT_EQ(run(*email, "n/a"), "REJECT(field): invalid email 'n/a': has no '@'");
  auto keep = make("email", {{"on_invalid", text("keep")}});
  EXPECT_EQ(run(*keep, "N/A"), "n/a");
}

TEST(PhoneTransform, EveryFormatInTheInboxBecomesE164) {
  auto phone = make("phone");
  EXPECT_EQ(run(*phone, "388-201-6494"), "+13882016494");
  EXPECT_EQ(run(*phone, "(726) 793-2592"), "+17267932592");
  EXPECT_EQ(run(*phone, "889.547.7989"), "+18895477989");
  EXPECT_EQ(run(*phone, "+1 856 725 5898"), "+18567255898");
  EXPECT_EQ(run(*phone, "9143357804"), "+19143357804");
  EXPECT_EQ(run(*phone, " 5896152427 "), "+15896152427");
}

TEST(PhoneTransform, KeepsOrDropsExtensions) {
  EXPECT_EQ(run(*make("phone"), "793-422-4832 x786"), "+17934224832 x786");
  EXPECT_EQ(run(*make("phone"), "793-422-4832 ext. 786"), "+17934224832 x786");
  EXPECT_EQ(run(*make("phone", {{"extension", text("drop")}}), "793-422-4832 x786"),
            "+17934224832");
}

TEST(PhoneTransform, RepairsNumbersExcelTurnedIntoFloats) {
  auto phone = make("phone");
  EXPECT_EQ(run(*phone, "4155550123.0"), "+14155550123");
  EXPECT_EQ(run(*phone, "4.155550123E+09"), "+14155550123");
  EXPECT_EQ(run(*phone, "4.15555E+09"),
            "REJECT(field): invalid phone '4.15555E+09': Excel stored it as a number and rounded "
            "digits away; format the column as Text and type it again");
}

TEST(PhoneTransform, RegionDecidesNationalNumbers) {
  EXPECT_EQ(run(*make("phone", {{"region", text("DE")}}), "030 1234567"), "+49301234567");
  EXPECT_EQ(run(*make("phone", {{"region", text("gb")}}), "020 7946 0958"), "+442079460958");
  EXPECT_THROW(make("phone", {{"region", text("XX")}}), std::invalid_argument);
}

TEST(PhoneTransform, InvalidNumbersAreRejectedWithAReason) {
  auto phone = make("phone");
  EXPECT_EQ(run(*phone, "call me"), "REJECT(field): invalid phone 'call me': not a phone number");
  EXPECT_EQ(run(*phone, "12"), "REJECT(field): invalid phone '12': wrong number of digits");
  EXPECT_EQ(run(*phone, "555-12"), "REJECT(field): invalid phone '555-12': wrong number of digits");
}

TEST(PhoneTransform, CachesPerDistinctInput) {
  auto phone = make("phone");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(run(*phone, "(726) 793-2592 x12"), "+17267932592 x12");
  EXPECT_EQ(run(*phone, "call me"), "REJECT(field): invalid phone 'call me': not a phone number");
  EXPECT_EQ(run(*phone, "call me"), "REJECT(field): invalid phone 'call me': not a phone number");
  EXPECT_EQ(run(*phone, "(726) 793-2592"), "+17267932592");
  const auto stats = phone_cache_stats(*phone);
  EXPECT_EQ(stats.plain, 1U) << "a plain North American number needs neither";
  EXPECT_EQ(stats.misses, 2U);
  EXPECT_EQ(stats.hits, 3U);
  EXPECT_EQ(phone_cache_stats(*make("trim")).misses, 0U);
}

// Plain North American numbers skip libphonenumber: on generated inputs of every nearby shape
// (other prefixes, lengths, separators, regions) the transform answers exactly as libphonenumber
// does, and the inputs that skip it are many.
TEST(PhoneTransform, PlainNorthAmericanNumbersAnswerAsLibphonenumberDoes) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const auto& util = *PhoneNumberUtil::GetInstance();
  const std::vector<std::string> prefixes = {"",     "",  "",    "1",   "1 ",  "+1", "+1 ", "+",
                                             "+44 ", "0", "011", "(1)", "+1-", " ",  "+12"};
  const std::string separators = " -.()";
  const std::string others = "/x#+a*";
  std::mt19937 random(7);
  std::uint64_t plain = 0;
  for (const std::string region : {"US", "CA", "PR", "GB", "DE"}) {
    auto phone = make("phone", {{"region", text(region)}});
    for (int i = 0; i < 3000; ++i) {
      std::string input = prefixes[random() % prefixes.size()];
      const int digits = random() % 2 ? 10 : 8 + static_cast<int>(random() % 5);
      for (int d = 0; d < digits; ++d) {
        if (random() % 4 == 0) input += separators[random() % separators.size()];
        if (random() % 200 == 0) input += others[random() % others.size()];
        input += static_cast<char>('0' + random() % 10);
      }
      if (random() % 8 == 0) input += separators[random() % separators.size()];
      // "4155550123.00" is an Excel float the transform repairs first, on purpose.
      const auto point = input.find('.');
      if (point != std::string::npos && input.find_first_not_of("0123456789") == point
          && input.find_first_not_of('0', point + 1) == std::string::npos)
        continue;
      std::string expected = "REJECT";
      PhoneNumber number;
      if (util.Parse(input, region, &number) == PhoneNumberUtil::NO_PARSING_ERROR
          && util.IsPossibleNumber(number)) {
        const auto extension = number.extension();
        number.clear_extension();
        util.Format(number, PhoneNumberUtil::E164, &expected);
        if (!extension.empty()) expected += " x" + extension;
      }
      const auto got = run(*phone, input);
      if (expected == "REJECT")
        EXPECT_TRUE(got.starts_with("REJECT")) << region << " '" << input << "' gave " << got;
      else
        EXPECT_EQ(got, expected) << region << " '" << input << "'";
    }
    plain += phone_cache_stats(*phone).plain;
  }
  EXPECT_GT(plain, 2000U);
}

TEST(DateTransform, CommonSpellingsBecomeIso) {
  auto date = make("date");
  EXPECT_EQ(run(*date, "03/05/2024"), "2024-03-05");
  EXPECT_EQ(run(*date, "2024-03-05"), "2024-03-05");
  EXPECT_EQ(run(*date, "2024-03-05T14:30:00"), "2024-03-05");
  EXPECT_EQ(run(*date, "5 Mar 2024"), "2024-03-05");
  EXPECT_EQ(run(*date, "March 5, 2024"), "2024-03-05");
  EXPECT_EQ(run(*date, "05-Mar-24"), "2024-03-05");
  EXPECT_EQ(run(*date, "3/5/24"), "2024-03-05");
  EXPECT_EQ(run(*date, "25/12/2023"), "2023-12-25");  // cannot be month 25: read day first
}

TEST(DateTransform, DayFirstWhenConfigured) {
  auto date = make("date", {{"order", text("dmy")}});
  EXPECT_EQ(run(*date, "03/05/2024"), "2024-05-03");
  EXPECT_EQ(run(*date, "5.3.24"), "2024-03-05");
}

TEST(DateTransform, ExcelSerials) {
  EXPECT_EQ(run(*make("date"), "45356"), "2024-03-05");
  EXPECT_EQ(run(*make("date"), "45356.5"), "2024-03-05");
  EXPECT_EQ(run(*make("date", {{"excel_serials", text("false")}}), "45356"),
            "REJECT(field): not a date: '45356'");
}

TEST(DateTransform, ImpossibleDatesAreRejected) {
  auto date = make("date");
  EXPECT_EQ(run(*date, "02/30/2024"), "REJECT(field): not a date: '02/30/2024'");
  EXPECT_EQ(run(*date, "soon"), "REJECT(field): not a date: 'soon'");
}

TEST(PicklistTransform, AliasesMapCaseAndPunctuationInsensitively) {
  ParamValue values;
  values.aliases = {{"Customer", {"client", "cust."}}, {"Prospect", {"lead", "hot lead"}}};
  auto picklist = make("picklist", {{"values", values}});
  EXPECT_EQ(run(*picklist, "CLIENT"), "Customer");
  EXPECT_EQ(run(*picklist, "Hot-Lead"), "Prospect");
  EXPECT_EQ(run(*picklist, "customer"), "Customer");
  EXPECT_EQ(run(*picklist, "Partner"), "REJECT(field): 'Partner' is not one of the allowed values");
}

TEST(PicklistTransform, AnAliasUnderTwoValuesIsAnError) {
  ParamValue values;
  values.aliases = {{"Customer", {"client"}}, {"Prospect", {"Client"}}};
  EXPECT_THROW(make("picklist", {{"values", values}}), std::invalid_argument);
}

TEST(RegexTransform, MatchReplaceExtract) {
  auto match = make("regex", {{"pattern", text("^[0-9]{5}$")}});
  EXPECT_EQ(run(*match, "94105"), "94105");
  EXPECT_EQ(run(*match, "9410"), "REJECT(field): '9410' does not match /^[0-9]{5}$/");
  auto replace = make(
      "regex", {{"pattern", text("\\s*\\(.*\\)")}, {"mode", text("replace")}, {"with", text("")}});
  EXPECT_EQ(run(*replace, "Acme (old account)"), "Acme");
  auto extract = make("regex", {{"pattern", text("x([0-9]+)$")}, {"mode", text("extract")}});
  EXPECT_EQ(run(*extract, "724-895-3738 x781"), "781");
  EXPECT_THROW(make("regex", {{"pattern", text("([a-z")}}), std::invalid_argument);
  EXPECT_THROW(
      make("regex", {{"pattern", text("a")}, {"mode", text("replace")}, {"with", text("\\3")}}),
      std::invalid_argument);
}

}  // namespace
}  // namespace crmsync::mappings::testing
