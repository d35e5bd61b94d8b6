// mappings/transforms/domain.cpp — the domain of a web address or an email address
// ("https://www.Acme.com/about" and "ann@acme.com" both give "acme.com"): a fuzzy-matching hint
// that a person works for a company.
#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class Domain final : public Transform {
 public:
  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    std::string text = to_lower_unicode(value);
    if (const auto at = text.rfind('@'); at != std::string::npos) text.erase(0, at + 1);
    if (const auto sep = text.find("://"); sep != std::string::npos) text.erase(0, sep + 3);
    text = text.substr(0, text.find_first_of("/?#:>"));
    if (text.starts_with("www.")) text.erase(0, 4);
    while (!text.empty() && text.back() == '.')
      text.pop_back();
    if (text.find('.') == std::string::npos)
      return {.verdict = Verdict::reject_field, .reason = "no domain in '" + value + "'"};
    value = std::move(text);
    return {};
  }
};
}  // namespace

TransformDecl domain_transform() {
  return {
      .name = "domain",
      .doc = "the domain of a web or email address, lower case, without 'www.'",
      .params = {},
      .make = [](const TransformArgs&) -> TransformResult { return std::make_unique<Domain>(); },
      .match_only = false};
}
}  // namespace crmsync::mappings
