// mappings/transforms/picklist.cpp — free text onto a CRM picklist: each allowed value lists the
// spellings reps use for it; matching ignores case, spaces and punctuation ("E-mail" == "email").
#include <unordered_map>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class Picklist final : public Transform {
 public:
  Picklist(std::unordered_map<std::string, std::string> canonical, Verdict on_unknown)
      : canonical_(std::move(canonical)), on_unknown_(on_unknown) {}

  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    if (auto found = canonical_.find(loose_key(value)); found != canonical_.end()) {
      value = found->second;
      return {};
    }
    if (on_unknown_ == Verdict::ok) return {};
    return {.verdict = on_unknown_, .reason = "'" + value + "' is not one of the allowed values"};
  }

 private:
  std::unordered_map<std::string, std::string> canonical_;  // loose key -> allowed value
  Verdict on_unknown_;
};
}  // namespace

TransformDecl picklist_transform() {
  return {.name = "picklist",
          .doc = "maps free text onto allowed values, each with the aliases reps use for it",
          .params = {{.name = "values",
                      .kind = ParamKind::alias_map,
                      .default_value = "",
                      .required = true,
                      .allowed = {},
                      .doc = "each allowed value, mapped to a list of its aliases: "
                             "{ Customer: [client, cust], Prospect: [lead] }"},
                     on_invalid_param("reject_field", "value")},
          .make = [](const TransformArgs& args) -> TransformResult {
            std::unordered_map<std::string, std::string> canonical;
            for (const auto& [value, aliases] : args.aliases("values")) {
              for (const auto& spelling : aliases) {
                auto [it, inserted] = canonical.emplace(loose_key(spelling), value);
                if (!inserted && it->second != value)
                  return "alias '" + spelling + "' is listed under both '" + it->second + "' and '"
                         + value + "'";
              }
              canonical.emplace(loose_key(value), value);
            }
            return std::make_unique<Picklist>(std::move(canonical),
                                              verdict_from(args.text("on_invalid")));
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
