// mappings/transform_chain.hpp — reads a field's `transform:` list: each item a transform name
// (`trim`) or a one-key map with its parameters (`{ phone: { region: DE } }`), checked against the
// transform's declaration: unknown transforms and parameters, missing required ones, bad values,
// and arguments the transform itself refuses (a bad regex) are all reported with did-you-mean.
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "core/settings/spec.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

std::vector<TransformUse> parse_transform_chain(const YAML::Node& node,
                                                settings::ParseContext& ctx);

// Builds the transforms of a chain (at compile time; each compiled mapping owns its own, so
// per-transform caches never cross threads).
std::vector<std::unique_ptr<Transform>> build_chain(const std::vector<TransformUse>& chain);

}  // namespace crmsync::mappings
