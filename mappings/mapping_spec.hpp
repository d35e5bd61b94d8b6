// mappings/mapping_spec.hpp — every key a mapping file may hold, declared once (STYLE.md rule 1).
// These specs drive parsing, defaults, unknown-key errors with did-you-mean, and
// docs/mapping-reference.md.
#pragma once

#include <string>
#include <vector>

#include "core/settings/spec.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

const settings::Spec<Mapping>& mapping_spec();
const settings::Spec<ObjectMapping>& object_spec();
const settings::Spec<FieldSpec>& field_spec();

// The policies by name, in the order the reference lists them.
const std::vector<std::pair<std::string, ConflictPolicy>>& conflict_policies();

}  // namespace crmsync::mappings
