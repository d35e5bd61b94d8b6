// mappings/transforms/registry.hpp — the one visible list of transforms a mapping may name.
#pragma once

#include <string_view>
#include <vector>

#include "mappings/transforms/transform.hpp"

namespace crmsync::mappings {

// Every transform, in the order the reference documents them.
const std::vector<TransformDecl>& transform_catalog();
// nullptr when no transform has that name.
const TransformDecl* find_transform(std::string_view name);
std::vector<std::string_view> transform_names();

// Each transform file defines one of these.
TransformDecl trim_transform();
TransformDecl collapse_spaces_transform();
TransformDecl lower_transform();
TransformDecl upper_transform();
TransformDecl title_case_transform();
TransformDecl ascii_fold_transform();
TransformDecl split_name_transform();
TransformDecl email_transform();
TransformDecl phone_transform();
TransformDecl date_transform();
TransformDecl picklist_transform();
TransformDecl regex_transform();
TransformDecl url_transform();
TransformDecl domain_transform();
TransformDecl company_key_transform();

}  // namespace crmsync::mappings
