// mappings/mapping_checks.hpp — checks that need the whole mapping: `key:` and `match:` name
// declared fields, templates parse, filter patterns compile, related objects are distinct.
#pragma once

#include <yaml-cpp/yaml.h>

#include "core/settings/spec.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

void check_mapping(const Mapping& mapping, const YAML::Node& root, settings::ParseContext& ctx);

}  // namespace crmsync::mappings
