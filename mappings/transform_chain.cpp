#include "mappings/transform_chain.hpp"

#include <stdexcept>

#include "mappings/transforms/registry.hpp"

namespace crmsync::mappings {
namespace {

using settings::ParseContext;

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ", ";
    out += word;
  }
  return out;
}

std::optional<ParamValue> parse_param(const ParamDecl& param, const std::string& transform,
                                      const YAML::Node& node, ParseContext& ctx) {
  const std::string what = "parameter '" + param.name + "' of transform '" + transform + "'";
  ParamValue value;
  switch (param.kind) {
    case ParamKind::string:
    case ParamKind::choice:
    case ParamKind::boolean: {
      if (!node.IsScalar()) {
        ctx.error(node, what + " must be a single value");
        return std::nullopt;
      }
      value.text = node.Scalar();
      if (param.kind == ParamKind::boolean) {
        auto flag = settings::read_bool(node, param.name, ctx);
        if (!flag) return std::nullopt;
        value.text = *flag ? "true" : "false";
      }
      if (param.kind == ParamKind::choice) {
        std::vector<std::string_view> allowed(param.allowed.begin(), param.allowed.end());
        if (std::find(allowed.begin(), allowed.end(), value.text) == allowed.end()) {
          ctx.error(node,
                    "unknown " + param.name + " '" + value.text + "' for transform '" + transform
                        + "' (expected one of: " + joined(param.allowed) + ")",
                    suggestion_help(value.text, allowed));
          return std::nullopt;
        }
      }
      return value;
    }
    case ParamKind::string_list: {
      auto list = settings::read_string_list(node, param.name, ctx);
      if (!list) return std::nullopt;
      value.list = std::move(*list);
      return value;
    }
    case ParamKind::alias_map: {
      if (!node.IsMap()) {
        ctx.error(node, what + " must be a map of allowed values to their aliases",
                  "for example { Customer: [client, cust], Prospect: [lead] }");
        return std::nullopt;
      }
      for (const auto& entry : node) {
        auto aliases = entry.second.IsNull()
                           ? std::optional<std::vector<std::string>>(std::vector<std::string>{})
                           : settings::read_string_list(entry.second, param.name, ctx);
        if (!aliases || !entry.first.IsScalar()) return std::nullopt;
        value.aliases.emplace_back(entry.first.Scalar(), std::move(*aliases));
      }
      return value;
    }
  }
  return std::nullopt;
}

std::optional<TransformUse> parse_item(const YAML::Node& item, ParseContext& ctx) {
  if (item.IsMap() && item.size() != 1) {
    ctx.error(item, "a transform with parameters is written { name: { parameter: value } }",
              "put each transform in its own list item");
    return std::nullopt;
  }
  if (!item.IsMap() && !item.IsScalar()) {
    ctx.error(item, "a transform is a name or { name: { parameter: value } }");
    return std::nullopt;
  }
  // Copy-constructed, never assigned: yaml-cpp's Node::operator= writes through to the node it
  // refers to, which would rewrite the document being read.
  const YAML::Node name_node = item.IsMap() ? item.begin()->first : item;
  const YAML::Node params_node = item.IsMap() ? item.begin()->second : YAML::Node();
  const std::string name = name_node.Scalar();
  const TransformDecl* decl = find_transform(name);
  if (decl == nullptr) {
    auto help = suggestion_help(name, transform_names());
    if (help.empty()) {
      std::vector<std::string> names;
      for (auto known : transform_names())
        names.emplace_back(known);
      help = "known transforms: " + joined(names);
    }
    ctx.error(name_node, "unknown transform '" + name + "'", help);
    return std::nullopt;
  }
  TransformUse use{.decl = decl, .args = {}, .where = ctx.at(name_node)};
  std::vector<std::string_view> known;
  for (const auto& param : decl->params)
    known.push_back(param.name);
  if (params_node.IsDefined() && !params_node.IsNull()) {
    if (!params_node.IsMap()) {
      ctx.error(params_node, "the parameters of transform '" + name + "' must be a map",
                "for example { " + name + ": { "
                    + (decl->params.empty() ? std::string("...") : decl->params.front().name)
                    + ": ... } }");
      return std::nullopt;
    }
    for (const auto& entry : params_node) {
      const std::string key = entry.first.Scalar();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      auto help = suggestion_help(key, known);
      if (help.empty())
        help = known.empty() ? "'" + name + "' takes no parameters"
                             : "parameters of '" + name + "': " + [&] {
                                 std::string list;
                                 for (auto k : known) {
                                   if (!list.empty()) list += ", ";
                                   list += std::string(k);
                                 }
                                 return list;
                               }();
      ctx.error(entry.first, "unknown parameter '" + key + "' of transform '" + name + "'", help);
      return std::nullopt;
    }
  }
  bool ok = true;
  for (const auto& param : decl->params) {
    const YAML::Node value_node =
        params_node.IsDefined() && params_node.IsMap() ? params_node[param.name] : YAML::Node();
    if (!value_node.IsDefined() || value_node.IsNull()) {
      if (param.required) {
        ctx.error(name_node, "transform '" + name + "' needs parameter '" + param.name + "'",
                  "write { " + name + ": { " + param.name + ": ... } } (" + param.doc + ")");
        ok = false;
        continue;
      }
      use.args.set(param.name, ParamValue{.text = param.default_value, .list = {}, .aliases = {}});
      continue;
    }
    auto value = parse_param(param, name, value_node, ctx);
    if (!value) {
      ok = false;
      continue;
    }
    use.args.set(param.name, std::move(*value));
  }
  if (!ok) return std::nullopt;
  // Building it once here lets the transform refuse arguments only it can judge (a regex, a
  // region) at load time, with the file position, instead of on the first row.
  auto built = decl->make(use.args);
  if (auto* problem = std::get_if<std::string>(&built)) {
    ctx.error(params_node.IsDefined() ? params_node : name_node,
              "transform '" + name + "': " + *problem);
    return std::nullopt;
  }
  return use;
}

}  // namespace

std::vector<TransformUse> parse_transform_chain(const YAML::Node& node, ParseContext& ctx) {
  std::vector<TransformUse> chain;
  if (node.IsScalar() || node.IsMap()) {
    if (auto use = parse_item(node, ctx)) chain.push_back(std::move(*use));
    return chain;
  }
  if (!node.IsSequence()) {
    ctx.error(node, "'transform' must be a list of transforms", "for example [trim, title_case]");
    return chain;
  }
  for (const auto& item : node)
    if (auto use = parse_item(item, ctx)) chain.push_back(std::move(*use));
  return chain;
}

std::vector<std::unique_ptr<Transform>> build_chain(const std::vector<TransformUse>& chain) {
  std::vector<std::unique_ptr<Transform>> built;
  for (const auto& use : chain) {
    auto result = use.decl->make(use.args);
    // The loader built every transform once already; failing now is a bug, not bad input.
    if (auto* problem = std::get_if<std::string>(&result))
      throw std::logic_error("transform '" + use.decl->name + "' failed to build: " + *problem);
    built.push_back(std::move(std::get<std::unique_ptr<Transform>>(result)));
  }
  return built;
}

}  // namespace crmsync::mappings
