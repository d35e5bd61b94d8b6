#include "core/text/json_writer.hpp"

#include <gtest/gtest.h>

namespace crmsync {
namespace {

TEST(JsonWriter, NestedContainersAndEscapes) {
  JsonWriter json;
  json.begin_object()
      .key("name")
      .value("Müller \"Bob\"\n")
      .key("rows")
      .begin_array()
      .value(1)
      .value(2.5)
      .value(true)
      .null()
      .end_array()
      .key("empty")
      .begin_object()
      .end_object()
      .end_object();
  EXPECT_EQ(json.str(), R"({"name":"Müller \"Bob\"\n","rows":[1,2.5,true,null],"empty":{}})");
}

TEST(JsonWriter, ControlCharactersAndInvalidUtf8StayValidJson) {
  EXPECT_EQ(json_string_literal(std::string("a\x01"
                                            "b",
                                            3)),
            R"("a\u0001b")");
  EXPECT_EQ(json_string_literal("caf\xE9"), "\"caf\xEF\xBF\xBD\"");
  EXPECT_EQ(json_string_literal("\\"), R"("\\")");
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  JsonWriter json;
  json.begin_array().value(1.0 / 0.0).end_array();
  EXPECT_EQ(json.str(), "[null]");
}

}  // namespace
}  // namespace crmsync

#include "core/text/loose_key.hpp"

namespace crmsync {
namespace {

TEST(LooseKey, IgnoresCaseSpacesAndPunctuationButKeepsAccents) {
  EXPECT_EQ(loose_key("E-mail Address"), "emailaddress");
  EXPECT_EQ(loose_key("EMAIL_ADDRESS"), "emailaddress");
  EXPECT_EQ(loose_key("Prénom"), "prénom");
  EXPECT_EQ(loose_key("Mobile #"), "mobile");
  EXPECT_EQ(loose_key("caf\xE9"), "caf");  // an invalid byte never makes names equal
}

}  // namespace
}  // namespace crmsync
