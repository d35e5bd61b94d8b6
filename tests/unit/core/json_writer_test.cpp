#include "core/text/json_writer.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <limits>

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

// Runs of plain text are copied whole, sixteen bytes looked at together: every byte value, at
// every place of a text of 40 (before, inside, across and after those blocks), is escaped exactly
// as the rule for that one byte says.
TEST(JsonWriter, EveryByteIsEscapedWhereverItStands) {
  const auto escaped = [](unsigned char c) -> std::string {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\r':
        return "\\r";
      case '\t':
        return "\\t";
      case '\b':
        return "\\b";
      case '\f':
        return "\\f";
      default:
        if (c < 0x20 || c == 0x7F) return fmt::format("\\u{:04x}", c);
        if (c >= 0x80) return "\xEF\xBF\xBD";  // a lone byte of a multi-byte sequence
        return std::string(1, static_cast<char>(c));
    }
  };
  for (int c = 0; c < 256; ++c)
    for (std::size_t at = 0; at < 40; ++at) {
      std::string text(40, 'a');
      text[at] = static_cast<char>(c);
      const auto expected = "\"" + text.substr(0, at) + escaped(static_cast<unsigned char>(c))
                            + text.substr(at + 1) + "\"";
      ASSERT_EQ(json_string_literal(text), expected) << "byte " << c << " at " << at;
    }
}

// Two escapes in one text, a valid multi-byte sequence across a block's end, and text after.
TEST(JsonWriter, EscapesAndSequencesMixInOneText) {
  const std::string text = std::string(15, 'x') + "\xC3\xA9\"q\"" + std::string(20, 'y') + "\n";
  EXPECT_EQ(json_string_literal(text),
            "\"" + std::string(15, 'x') + "\xC3\xA9\\\"q\\\"" + std::string(20, 'y') + "\\n\"");
  std::string out = "[";
  append_json_string(out, "");
  EXPECT_EQ(out, "[\"\"");
}

TEST(JsonWriter, NonFiniteNumbersBecomeNull) {
  JsonWriter json;
  json.begin_array().value(1.0 / 0.0).end_array();
  EXPECT_EQ(json.str(), "[null]");
}

TEST(JsonWriter, IntegersAreWrittenWholeToTheirLimits) {
  JsonWriter json;
  json.begin_array()
      .value(std::int64_t{0})
      .value(-1)
      .value(std::numeric_limits<std::int64_t>::min());
  json.value(std::numeric_limits<std::int64_t>::max()).end_array();
  EXPECT_EQ(json.str(), "[0,-1,-9223372036854775808,9223372036854775807]");
  std::string appended = "x";
  append_json_integer(appended, 1234567);
  EXPECT_EQ(appended, "x1234567");
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
