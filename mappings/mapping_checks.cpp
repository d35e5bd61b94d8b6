#include "mappings/mapping_checks.hpp"

#include <re2/re2.h>

#include "mappings/template_text.hpp"

namespace crmsync::mappings {
namespace {

using settings::ParseContext;

std::vector<std::string_view> field_names(const ObjectMapping& object) {
  std::vector<std::string_view> names;
  for (const auto& field : object.fields)
    names.push_back(field.name);
  return names;
}

bool has_field(const ObjectMapping& object, std::string_view name) {
  for (const auto& field : object.fields)
    if (field.name == name) return true;
  return false;
}

// The n-th item of a scalar-or-list node, for pointing at one name in `key: [Email, Phne]`.
YAML::Node item_of(const YAML::Node& node, std::size_t index) {
  if (node.IsDefined() && node.IsSequence() && index < node.size()) return node[index];
  return node;
}

void check_key(const ObjectMapping& object, const YAML::Node& node, ParseContext& ctx) {
  if (object.key.empty()) return;
  for (std::size_t i = 0; i < object.key.size(); ++i) {
    if (has_field(object, object.key[i])) continue;
    ctx.error(item_of(node["key"], i),
              "key field '" + object.key[i] + "' is not a field of " + object.object,
              suggestion_help(object.key[i], field_names(object)));
  }
}

void check_external_id(const ObjectMapping& object, const YAML::Node& node, ParseContext& ctx) {
  if (object.external_id.empty()) return;
  for (const auto& field : object.fields)
    if (field.name == object.external_id) {
      if (field.match_only || field.is_lookup)
        ctx.error(node["external_id"],
                  "external_id field '" + field.name + "' is not written to the CRM",
                  "name a field that holds the value itself (not match_only, not a lookup)");
      return;
    }
  ctx.error(node["external_id"],
            "external_id field '" + object.external_id + "' is not a field of " + object.object,
            suggestion_help(object.external_id, field_names(object)));
}

// "Email" names a field of `object`; "Account.Name" a field of a related object or the `by`
// field of a lookup into that object.
bool resolves(const Mapping& mapping, const ObjectMapping& object, const std::string& name) {
  const auto dot = name.find('.');
  if (dot == std::string::npos) return has_field(object, name);
  const auto target = name.substr(0, dot);
  const auto field = name.substr(dot + 1);
  for (const auto& related : mapping.related)
    if (related.object == target && has_field(related, field)) return true;
  for (const auto& candidate : object.fields)
    if (candidate.is_lookup && candidate.lookup.object == target && candidate.lookup.by == field)
      return true;
  return false;
}

void check_match(const Mapping& mapping, const ObjectMapping& object, ParseContext& ctx) {
  for (const auto& rule : object.match) {
    for (std::size_t i = 0; i < rule.fields.size() && i < rule.where.size(); ++i) {
      if (resolves(mapping, object, rule.fields[i])) continue;
      ctx.diagnostics().error(
          rule.where[i], "match field '" + rule.fields[i] + "' is not a field of " + object.object,
          suggestion_help(rule.fields[i], field_names(object)));
    }
  }
}

void check_templates(const ObjectMapping& object, const YAML::Node& node, ParseContext& ctx) {
  for (const auto& field : object.fields) {
    const std::string& text = field.is_lookup ? field.lookup.value : field.template_text;
    if (text.empty()) continue;
    const YAML::Node fields = node["fields"];
    std::string error;
    if (parse_template(text, error)) continue;
    const YAML::Node entry = fields[field.name];
    const YAML::Node at = !entry.IsMap()    ? entry
                          : field.is_lookup ? entry["lookup"]["value"]
                                            : entry["template"];
    ctx.error(at, error, "placeholders are written {{Column Name}} or {{rep}}");
  }
}

void check_object(const Mapping& mapping, const ObjectMapping& object, const YAML::Node& node,
                  ParseContext& ctx) {
  check_key(object, node, ctx);
  check_external_id(object, node, ctx);
  check_match(mapping, object, ctx);
  check_templates(object, node, ctx);
}

void check_filter(const Mapping& mapping, const YAML::Node& root, ParseContext& ctx) {
  if (mapping.filter.skip_if.empty()) return;
  // yaml-cpp throws on indexing a missing key of a const node: only walk what was parsed.
  const YAML::Node rules = root["filter"]["skip_if"];
  for (std::size_t i = 0; i < mapping.filter.skip_if.size() && rules.IsSequence(); ++i) {
    const re2::RE2 pattern(mapping.filter.skip_if[i].matches, re2::RE2::Quiet);
    if (!pattern.ok())
      ctx.error(rules[i]["matches"], "invalid regular expression: " + pattern.error());
  }
}

}  // namespace

void check_mapping(const Mapping& mapping, const YAML::Node& root, ParseContext& ctx) {
  check_object(mapping, mapping.primary, root, ctx);
  if (mapping.related.empty()) return check_filter(mapping, root, ctx);
  const YAML::Node related = root["related"];
  for (std::size_t i = 0; i < mapping.related.size() && related.IsSequence(); ++i) {
    const auto& object = mapping.related[i];
    check_object(mapping, object, related[i], ctx);
    // Related records are found or created by their lookup (an Account by its name), never
    // upserted: an external_id there would silently do nothing.
    if (!object.external_id.empty())
      ctx.error(related[i]["external_id"], "external_id applies to the mapping's own object only",
                object.object + " records are found by the lookup that creates them");
    bool repeated = object.object == mapping.primary.object;
    for (std::size_t j = 0; j < i; ++j)
      repeated = repeated || mapping.related[j].object == object.object;
    if (repeated)
      ctx.error(related[i]["object"].IsDefined() ? related[i]["object"] : related[i],
                "object '" + object.object + "' is mapped twice",
                "map each object once; one row feeds each object at most once");
  }
  check_filter(mapping, root, ctx);
}

}  // namespace crmsync::mappings
