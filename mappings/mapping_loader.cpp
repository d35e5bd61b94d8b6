#include "mappings/mapping_loader.hpp"

#include <algorithm>

#include "core/text/fnv1a.hpp"
#include "core/yaml/strict_yaml.hpp"
#include "mappings/mapping_checks.hpp"
#include "mappings/mapping_examples.hpp"
#include "mappings/mapping_spec.hpp"

namespace crmsync::mappings {
namespace {

std::optional<Mapping> from_root(const std::string& file, const YAML::Node& root,
                                 Diagnostics& diags) {
  const auto errors_before = diags.error_count();
  settings::ParseContext ctx(diags, file);
  Mapping mapping;
  mapping.file = file;
  mapping.name = std::filesystem::path(file).stem().string();
  try {
    mapping_spec().parse(root, mapping, ctx);
    if (root.IsMap()) check_mapping(mapping, root, ctx);
  } catch (const YAML::Exception& error) {
    // A shape the checks did not foresee must cost the admin a message, never the daemon.
    diags.error({file, error.mark.line + 1, error.mark.column + 1, 1},
                std::string("cannot read this mapping: ") + error.msg,
                "check the structure of the file against docs/mapping-reference.md");
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return mapping;
}

}  // namespace

std::optional<Mapping> load_mapping_text(const std::string& file, std::string text,
                                         Diagnostics& diags) {
  const auto fingerprint = Fnv1a64().add(text).hex();
  auto root = load_strict_yaml(file, std::move(text), diags);
  if (!root) return std::nullopt;
  auto mapping = from_root(file, *root, diags);
  if (mapping) mapping->fingerprint = fingerprint;
  return mapping;
}

std::optional<Mapping> load_mapping(const std::filesystem::path& path, Diagnostics& diags) {
  auto text = read_yaml_file(path, diags);
  if (!text) return std::nullopt;
  return load_mapping_text(path.string(), std::move(*text), diags);
}

std::vector<Mapping> validate_mapping_dir(const std::filesystem::path& dir, Diagnostics& diags) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const auto extension = entry.path().extension();
    if (entry.is_regular_file() && (extension == ".yaml" || extension == ".yml"))
      files.push_back(entry.path());
  }
  if (error) {
    diags.error({dir.string(), 0, 0, 1}, "cannot read the mappings directory: " + error.message(),
                "check that it exists and that crmsync may read it");
    return {};
  }
  std::sort(files.begin(), files.end());
  std::vector<Mapping> mappings;
  for (const auto& path : files) {
    auto mapping = load_mapping(path, diags);
    if (!mapping) continue;
    if (run_examples(*mapping, diags)) mappings.push_back(std::move(*mapping));
  }
  return mappings;
}

}  // namespace crmsync::mappings
