#include "connectors/salesforce/soql_text.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

TEST(SoqlText, StringLiteralsEscapeWhatSoqlReserves) {
  EXPECT_EQ(soql_string("Bob's BBQ"), R"('Bob\'s BBQ')");
  EXPECT_EQ(soql_string(R"(back\slash "quoted")"), R"('back\\slash \"quoted\"')");
  EXPECT_EQ(soql_string("line\nbreak\ttab"), R"('line\nbreak\ttab')");
  EXPECT_EQ(soql_string("100%_ok"), "'100%_ok'");
  EXPECT_EQ(soql_like_string("100%_ok"), R"('100\%\_ok')");
  // An injection attempt stays inside the literal.
  EXPECT_EQ(soql_string("x' OR Name != '"), R"('x\' OR Name != \'')");
}

TEST(SoqlText, UrlEncoding) {
  EXPECT_EQ(url_encode("SELECT Id FROM Contact WHERE Email = 'a@b.c'"),
            "SELECT%20Id%20FROM%20Contact%20WHERE%20Email%20%3D%20%27a%40b.c%27");
  EXPECT_EQ(url_encode("José"), "Jos%C3%A9");
}

TEST(SoqlText, InListsStayUnderTheUrlLimitAndKeepEveryValue) {
  std::vector<std::string> emails;
  for (int i = 0; i < 1000; ++i)
    emails.push_back("person" + std::to_string(i) + "@example.com");
  const std::string prefix =
      "/services/data/v66.0/query?q=SELECT Id, Email FROM Contact WHERE Email IN ";
  const auto lists = soql_in_lists(emails, prefix, "", 4000);
  ASSERT_GT(lists.size(), 1u);
  std::size_t total = 0;
  for (const auto& list : lists) {
    EXPECT_LE(url_encode(prefix).size() + url_encode(list).size(), 4000u);
    total += static_cast<std::size_t>(std::count(list.begin(), list.end(), '@'));
  }
  EXPECT_EQ(total, emails.size());
  EXPECT_EQ(lists.front().rfind("('person0@example.com','person1@example.com'", 0), 0u);
  EXPECT_TRUE(soql_in_lists({}, prefix, "").empty());
}

}  // namespace
}  // namespace crmsync::salesforce
