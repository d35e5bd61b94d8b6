// mappings/mapping_loader.hpp — the public entry points for loading and validating mapping
// files. Every problem of every file goes to `diags` (file:line:col, source line, caret,
// did-you-mean); loading goes on after an error so one run reports them all.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

// Loads and validates one mapping file; nullopt when it has errors (all reported).
std::optional<Mapping> load_mapping(const std::filesystem::path& path, Diagnostics& diags);
// The same from text already in memory (`file` names it in diagnostics; tests, fuzzing).
std::optional<Mapping> load_mapping_text(const std::string& file, std::string text,
                                         Diagnostics& diags);

// Loads every *.yaml / *.yml in `dir` (sorted by name), validates each and runs its examples.
// Returns the mappings that loaded cleanly; `crmsync validate` fails when diags has errors.
std::vector<Mapping> validate_mapping_dir(const std::filesystem::path& dir, Diagnostics& diags);

}  // namespace crmsync::mappings
