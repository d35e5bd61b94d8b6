// Text transforms on values taken from shared/data/world-small/inbox.
#include <gtest/gtest.h>

#include "tests/unit/mappings/transform_test_support.hpp"

namespace crmsync::mappings::testing {
namespace {

TEST(TrimTransform, StripsSpacesAndNoBreakSpaces) {
  auto trim = make("trim");
  EXPECT_EQ(run(*trim, " patricia.rodriguez@webbmillerholdings.example.com "),
            "patricia.rodriguez@webbmillerholdings.example.com");
  EXPECT_EQ(run(*trim, "\xC2\xA0Ørsted\t\r\n"), "Ørsted");
  EXPECT_EQ(run(*trim, "   "), "");
  EXPECT_EQ(run(*trim, ""), "");
}

TEST(CollapseSpacesTransform, JoinsRunsOfWhiteSpace) {
  auto collapse = make("collapse_spaces");
  EXPECT_EQ(run(*collapse, "Knows our VP from previous job\nSend catalog"),
            "Knows our VP from previous job Send catalog");
  EXPECT_EQ(run(*collapse, "  Jones \xC2\xA0  Holdings "), "Jones Holdings");
}

TEST(LowerUpperTransforms, KeepAccents) {
  EXPECT_EQ(run(*make("lower"), "LGARCA@ROBERTS.EXAMPLE.COM"), "lgarca@roberts.example.com");
  EXPECT_EQ(run(*make("lower"), "ÉMILE ØSTERGAARD"), "émile østergaard");
  EXPECT_EQ(run(*make("upper"), "García"), "GARCÍA");
  EXPECT_EQ(run(*make("upper"), "straße"), "STRASSE");
}

TEST(TitleCaseTransform, CapitalisesAllCapsAndLowerNames) {
  auto title = make("title_case");
  EXPECT_EQ(run(*title, "LARS"), "Lars");
  EXPECT_EQ(run(*title, "ALEXANDER"), "Alexander");
  EXPECT_EQ(run(*title, "ØSTERGAARD"), "Østergaard");
  EXPECT_EQ(run(*title, "GARCÍA"), "García");
  EXPECT_EQ(run(*title, "JOHN MCDONALD"), "John McDonald");
  EXPECT_EQ(run(*title, "o'brien"), "O'Brien");
  EXPECT_EQ(run(*title, "siobhan van der berg"), "Siobhan van der Berg");
  EXPECT_EQ(run(*title, "JONES-HERRERA SYSTEMS"), "Jones-Herrera Systems");
  EXPECT_EQ(run(*title, "ann's"), "Ann's");
  EXPECT_EQ(run(*title, "mack"), "Mack");
}

TEST(TitleCaseTransform, LeavesMixedCaseAloneUnlessForced) {
  EXPECT_EQ(run(*make("title_case"), "DeWitt"), "DeWitt");
  EXPECT_EQ(run(*make("title_case"), "Van der Berg"), "Van der Berg");
  EXPECT_EQ(run(*make("title_case", {{"force", text("true")}}), "deWITT"), "Dewitt");
}

TEST(AsciiFoldTransform, FoldsAccentsAndScripts) {
  auto fold = make("ascii_fold");
  EXPECT_EQ(run(*fold, "Björn Müller"), "Bjorn Muller");
  EXPECT_EQ(run(*fold, "Østergaard"), "Ostergaard");
  EXPECT_EQ(run(*fold, "José García"), "Jose Garcia");
  EXPECT_EQ(run(*fold, "plain"), "plain");
}

TEST(SplitNameTransform, FirstLastAndLastCommaFirst) {
  auto first = make("split_name", {{"part", text("first")}});
  auto last = make("split_name", {{"part", text("last")}});
  auto middle = make("split_name", {{"part", text("middle")}});
  EXPECT_EQ(run(*first, "José Martin"), "José");
  EXPECT_EQ(run(*last, "José Martin"), "Martin");
  EXPECT_EQ(run(*first, "Okafor, Nicholas"), "Nicholas");
  EXPECT_EQ(run(*last, "Okafor, Nicholas"), "Okafor");
  EXPECT_EQ(run(*first, "Berg, Maria Anna"), "Maria");
  EXPECT_EQ(run(*middle, "Berg, Maria Anna"), "Anna");
  EXPECT_EQ(run(*middle, "John Fitzgerald Kennedy"), "Fitzgerald");
  EXPECT_EQ(run(*last, "John Fitzgerald Kennedy"), "Kennedy");
  EXPECT_EQ(run(*last, "Siobhan van der Berg"), "van der Berg");
  EXPECT_EQ(run(*last, "Østergaard"), "Østergaard");
  EXPECT_EQ(run(*first, "Østergaard"), "");
}

TEST(SplitNameTransform, PrefixesAndSuffixes) {
  auto first = make("split_name", {{"part", text("first")}});
  auto last = make("split_name", {{"part", text("last")}});
  auto prefix = make("split_name", {{"part", text("prefix")}});
  auto suffix = make("split_name", {{"part", text("suffix")}});
  EXPECT_EQ(run(*prefix, "Dr. Maria Berg PhD"), "Dr.");
  EXPECT_EQ(run(*first, "Dr. Maria Berg PhD"), "Maria");
  EXPECT_EQ(run(*last, "Dr. Maria Berg PhD"), "Berg");
  EXPECT_EQ(run(*suffix, "Dr. Maria Berg PhD"), "PhD");
  EXPECT_EQ(run(*last, "John Smith, Jr."), "Smith");
  EXPECT_EQ(run(*suffix, "John Smith, Jr."), "Jr.");
  EXPECT_EQ(run(*suffix, "Robert Martin III"), "III");
  EXPECT_EQ(run(*first, "Ms. Smith"), "");
  EXPECT_EQ(run(*last, "Ms. Smith"), "Smith");
}

TEST(UrlTransform, AddsSchemeAndLowersHost) {
  auto url = make("url");
  EXPECT_EQ(run(*url, "www.Acme.com/"), "https://www.acme.com");
  EXPECT_EQ(run(*url, "HTTP://Acme.com/About"), "http://acme.com/About");
  EXPECT_EQ(run(*url, "not a site"), "REJECT(field): not a web address: 'not a site'");
}

TEST(DomainTransform, FromEmailsAndUrls) {
  auto domain = make("domain");
  EXPECT_EQ(run(*domain, "LGARCA@ROBERTS.EXAMPLE.COM"), "roberts.example.com");
  EXPECT_EQ(run(*domain, "https://www.Acme.com/about"), "acme.com");
  EXPECT_EQ(run(*domain, "nobody"), "REJECT(field): no domain in 'nobody'");
}

TEST(CompanyKeyTransform, VariantsOfOneCompanyMeet) {
  auto key = make("company_key");
  EXPECT_EQ(run(*key, "Johnson Rice Inc."), "johnson rice");
  EXPECT_EQ(run(*key, "Murray, Inc."), "murray");
  EXPECT_EQ(run(*key, "BROWN-ROMERO LTD"), "brown romero");
  EXPECT_EQ(run(*key, "Brown-Romero Ltd"), "brown romero");
  EXPECT_EQ(run(*key, "Acme Corp"), run(*key, "ACME CORPORATION"));
  EXPECT_EQ(run(*key, "Müller GmbH"), "muller");
  EXPECT_EQ(run(*key, "RAMIREZ LLC"), "ramirez");
  EXPECT_EQ(run(*key, "Ware Fuentes Holdings"), "ware fuentes holdings");
  auto grouped =
      make("company_key",
           {{"also", ParamValue{.text = {}, .list = {"Holdings", "group"}, .aliases = {}}}});
  EXPECT_EQ(run(*grouped, "Ware Fuentes Holdings"), "ware fuentes");
  EXPECT_EQ(run(*grouped, "FOX-GOLDEN GROUP"), "fox golden");
  EXPECT_TRUE(find_transform("company_key")->match_only);
}

TEST(TransformCatalog, NamesAreUniqueAndDocumented) {
  std::set<std::string> seen;
  for (const auto& decl : transform_catalog()) {
    EXPECT_TRUE(seen.insert(decl.name).second) << decl.name;
    EXPECT_FALSE(decl.doc.empty()) << decl.name;
    for (const auto& param : decl.params)
      EXPECT_FALSE(param.doc.empty()) << decl.name;
  }
  EXPECT_EQ(find_transform("titlecase"), nullptr);
  EXPECT_NE(find_transform("title_case"), nullptr);
}

}  // namespace
}  // namespace crmsync::mappings::testing
