#include "core/diagnostics/diagnostics.hpp"

#include <gtest/gtest.h>

namespace crmsync {
namespace {

TEST(Diagnostics, RendersLineCaretAndHelp) {
  Diagnostics diags;
  diags.add_source("m.yaml", "fields:\n  First:\n      transform: [trim, titlecase]\n");
  diags.error({"m.yaml", 3, 25, 9}, "unknown transform 'titlecase'", "did you mean 'title_case'?");
  EXPECT_EQ(diags.render(),
            "m.yaml:3:25: error: unknown transform 'titlecase'\n"
            " 3 |       transform: [trim, titlecase]\n"
            "   |                         ^~~~~~~~~\n"
            "   = help: did you mean 'title_case'?\n");
}

TEST(Diagnostics, MaskedSpanNeverShowsTheSecret) {
  Diagnostics diags;
  diags.add_source("c.yaml", "client_secret: hunter2-very-secret\n");
  diags.report({Severity::error, {"c.yaml", 1, 16, 19}, "secret", "", true});
  const auto text = diags.render();
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_NE(text.find("<redacted>"), std::string::npos);
}

TEST(Diagnostics, CountsErrorsAndWarningsSeparately) {
  Diagnostics diags;
  diags.warning({"f", 1, 1, 1}, "w");
  diags.error({"f", 2, 1, 1}, "e");
  EXPECT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.warning_count(), 1u);
}

TEST(DidYouMean, FindsTyposCaseAndSeparatorVariants) {
  const std::vector<std::string_view> names{"title_case", "trim", "lower", "upper", "split_name"};
  EXPECT_EQ(did_you_mean("titlecase", names), "title_case");
  EXPECT_EQ(did_you_mean("Title-Case", names), "title_case");
  EXPECT_EQ(did_you_mean("trmi", names), "trim");
  EXPECT_EQ(did_you_mean("lowr", names), "lower");
  EXPECT_EQ(did_you_mean("salary", names), "");
  EXPECT_EQ(suggestion_help("uper", names), "did you mean 'upper'?");
}

}  // namespace
}  // namespace crmsync
