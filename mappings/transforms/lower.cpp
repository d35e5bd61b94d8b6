// mappings/transforms/lower.cpp — Unicode lower case (ICU root locale: no Turkish dotless i).
#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class Lower final : public Transform {
 public:
  TransformOutcome apply(std::string& value) const override {
    lower_in_place(value);
    return {};
  }
};
}  // namespace

TransformDecl lower_transform() {
  return {.name = "lower",
          .doc = "lower case, Unicode-aware (accents kept: 'ÉMILE' becomes 'émile')",
          .params = {},
          .make = [](const TransformArgs&) -> TransformResult { return std::make_unique<Lower>(); },
          .match_only = false};
}
}  // namespace crmsync::mappings
