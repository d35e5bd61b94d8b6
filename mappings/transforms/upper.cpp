// mappings/transforms/upper.cpp — Unicode upper case (ICU root locale).
#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class Upper final : public Transform {
 public:
  TransformOutcome apply(std::string& value) const override {
    value = to_upper_unicode(value);
    return {};
  }
};
}  // namespace

TransformDecl upper_transform() {
  return {.name = "upper",
          .doc = "upper case, Unicode-aware ('straße' becomes 'STRASSE')",
          .params = {},
          .make = [](const TransformArgs&) -> TransformResult { return std::make_unique<Upper>(); },
          .match_only = false};
}
}  // namespace crmsync::mappings
