#include "core/text/csv_field.hpp"

#include <gtest/gtest.h>

#include <string>

namespace crmsync {
namespace {

// A field is quoted when a comma, quote, CR or LF stands anywhere in it (sixteen bytes are looked
// at together), or a space at either end; a quote inside is doubled.
TEST(CsvField, EveryByteQuotesAsItsRuleSaysWhereverItStands) {
  for (int c = 0; c < 256; ++c)
    for (std::size_t at = 0; at < 40; ++at) {
      std::string text(40, 'a');
      text[at] = static_cast<char>(c);
      const bool quoted =
          c == ',' || c == '"' || c == '\r' || c == '\n' || (c == ' ' && (at == 0 || at == 39));
      std::string expected = text;
      if (c == '"') expected.insert(at, 1, '"');
      if (quoted) expected = '"' + expected + '"';
      ASSERT_EQ(csv_field(text), expected) << "byte " << c << " at " << at;
    }
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field(" a"), "\" a\"");
}

}  // namespace
}  // namespace crmsync
