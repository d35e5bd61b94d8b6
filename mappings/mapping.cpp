// mappings/mapping.cpp — small helpers on the loaded model.
#include "mappings/mapping.hpp"

#include <algorithm>

#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
void add_aliases(const ObjectMapping& object, std::vector<std::string>& out) {
  auto add = [&](const std::vector<std::string>& aliases) {
    for (const auto& alias : aliases) {
      auto key = loose_key(alias);
      if (!key.empty() && std::find(out.begin(), out.end(), key) == out.end())
        out.push_back(std::move(key));
    }
  };
  for (const auto& field : object.fields) {
    add(field.is_lookup ? field.lookup.from : field.from);
    if (field.fallback) add(field.fallback->from);
  }
}
}  // namespace

std::vector<std::string> header_hint(const Mapping& mapping) {
  std::vector<std::string> hint;
  add_aliases(mapping.primary, hint);
  for (const auto& related : mapping.related)
    add_aliases(related, hint);
  return hint;
}

}  // namespace crmsync::mappings
