// Renders the configuration reference (docs/configuration.md) from the declarations themselves,
// so the documentation cannot drift from what the parser accepts.
#include <fmt/format.h>

#include <set>

#include "core/settings/spec.hpp"

namespace crmsync::settings {
namespace {

std::string escape_cell(std::string text) {
  std::string out;
  for (const char c : text)
    out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// `path` is the dotted key path ("crm.auth"); empty for the root, which is titled by its file.
void render_section(const SpecBase& spec, const std::string& path, std::string& out,
                    std::set<std::string>& done) {
  if (!done.insert(path).second) return;
  out += fmt::format("\n## `{}`\n\n{}\n\n", path.empty() ? spec.title() : path, spec.doc());
  out += "| setting | type | default | allowed | description |\n";
  out += "|---|---|---|---|---|\n";
  const auto docs = spec.option_docs();
  for (const auto& option : docs) {
    std::string allowed;
    for (const auto& value : option.allowed)
      allowed += (allowed.empty() ? "" : ", ") + fmt::format("`{}`", value);
    if (!option.variants.empty()) {
      for (const auto& variant : option.variants)
        allowed += (allowed.empty() ? "type: " : ", ") + fmt::format("`{}`", variant.first);
    }
    const std::string fallback = option.required ? "*required*"
                                 : option.default_value.empty()
                                     ? ""
                                     : fmt::format("`{}`", option.default_value);
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", option.name, escape_cell(option.type),
                       fallback, allowed, escape_cell(option.doc));
  }
  for (const auto& option : docs) {
    const std::string child = path.empty() ? option.name : path + "." + option.name;
    if (option.section != nullptr) render_section(*option.section, child, out, done);
    for (const auto& [type, variant_spec] : option.variants)
      if (variant_spec != nullptr)
        render_section(*variant_spec, child + " (type: " + type + ")", out, done);
  }
}

}  // namespace

std::string render_reference(const SpecBase& root, std::string_view heading) {
  std::string out = fmt::format("# {}\n\n{}\n", heading, root.doc());
  out +=
      "\nGenerated from the declarations in the source by `crmsync docs configuration`; do not "
      "edit by hand (CI checks it is up to date).\n";
  std::set<std::string> done;
  std::string body;
  render_section(root, "", body, done);
  return out + body;
}

}  // namespace crmsync::settings
