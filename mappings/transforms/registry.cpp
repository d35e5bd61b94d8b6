// mappings/transforms/registry.cpp — the list itself, and the small helpers every transform shares.
#include "mappings/transforms/registry.hpp"

#include <stdexcept>

namespace crmsync::mappings {

const std::vector<TransformDecl>& transform_catalog() {
  // One visible list (STYLE.md rule 4): adding a transform is one file plus one line here.
  static const std::vector<TransformDecl> catalog = {
      trim_transform(),       collapse_spaces_transform(), lower_transform(),
      upper_transform(),      title_case_transform(),      ascii_fold_transform(),
      split_name_transform(), email_transform(),           phone_transform(),
      date_transform(),       picklist_transform(),        regex_transform(),
      url_transform(),        domain_transform(),          company_key_transform(),
  };
  return catalog;
}

const TransformDecl* find_transform(std::string_view name) {
  for (const auto& decl : transform_catalog())
    if (decl.name == name) return &decl;
  return nullptr;
}

std::vector<std::string_view> transform_names() {
  std::vector<std::string_view> names;
  for (const auto& decl : transform_catalog())
    names.push_back(decl.name);
  return names;
}

const ParamValue& TransformArgs::get(const std::string& name) const {
  auto found = values_.find(name);
  // A transform reading an undeclared parameter is a programming error in that transform.
  if (found == values_.end()) throw std::logic_error("transform parameter not set: " + name);
  return found->second;
}

TransformResult make_with_defaults(const TransformDecl& decl) {
  TransformArgs args;
  for (const auto& param : decl.params) {
    if (param.required) return "parameter '" + param.name + "' is required";
    args.set(param.name, ParamValue{.text = param.default_value, .list = {}, .aliases = {}});
  }
  return decl.make(args);
}

ParamDecl on_invalid_param(std::string default_value, std::string what) {
  return {.name = "on_invalid",
          .kind = ParamKind::choice,
          .default_value = std::move(default_value),
          .required = false,
          .allowed = {"reject_row", "reject_field", "keep"},
          .doc = "what an invalid " + what
                 + " does: reject the whole row, leave the field empty, or keep it as written"};
}

Verdict verdict_from(const std::string& on_invalid) {
  if (on_invalid == "reject_row") return Verdict::reject_row;
  if (on_invalid == "reject_field") return Verdict::reject_field;
  return Verdict::ok;
}

}  // namespace crmsync::mappings
