// core/yaml/strict_yaml.hpp — loads admin-written YAML (config and mappings) defensively.
// yaml-cpp alone accepts duplicate keys silently and will walk an alias bomb for ever; this loader
// checks size, UTF-8, tabs, nesting depth, alias expansion and duplicate keys first, and reports
// each problem as a diagnostic that points at the file, line and column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "core/diagnostics/diagnostics.hpp"

namespace crmsync {

struct YamlLimits {
  std::size_t max_bytes = 1024 * 1024;      // admin files are small; a 1 MiB one is a mistake
  int max_depth = 64;                       // nesting of maps and sequences
  std::size_t max_expanded_nodes = 100000;  // nodes after expanding every alias
};

// Parses `text` (registered with `diags` under `file` for rendering). Returns the root node, or
// nullopt when the file cannot be used; every problem found is in `diags`.
std::optional<YAML::Node> load_strict_yaml(const std::string& file, std::string text,
                                           Diagnostics& diags, const YamlLimits& limits = {});

// Reads the file's text, refusing one over the size limit without reading it whole.
std::optional<std::string> read_yaml_file(const std::filesystem::path& path, Diagnostics& diags,
                                          const YamlLimits& limits = {});

// read_yaml_file(), then load_strict_yaml().
std::optional<YAML::Node> load_strict_yaml_file(const std::filesystem::path& path,
                                                Diagnostics& diags, const YamlLimits& limits = {});

// Where a node starts, with the length of its scalar text for the caret.
SourceLocation location_of(const YAML::Node& node, const std::string& file);

}  // namespace crmsync
