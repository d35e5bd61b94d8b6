// mappings/transforms/trim.cpp — strips white space (NBSP included) at both ends.
#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class Trim final : public Transform {
 public:
  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    return {};
  }
};
}  // namespace

TransformDecl trim_transform() {
  return {.name = "trim",
          .doc = "removes white space, including non-breaking spaces, at both ends",
          .params = {},
          .make = [](const TransformArgs&) -> TransformResult { return std::make_unique<Trim>(); },
          .match_only = false};
}
}  // namespace crmsync::mappings
