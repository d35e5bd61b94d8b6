// core/settings/spec.hpp — every setting declared once. An Option names a key, its type, default,
// allowed values and a one-line doc, and binds it to a struct member. The same declaration drives
// parsing, defaults, validation with did-you-mean, and the generated reference in docs/.
//
//   const Spec<StatusSettings>& status_spec() {
//     static const Spec<StatusSettings> spec{"status", "the local status endpoint", {
//         host_port_option("listen", &StatusSettings::listen, "address of /metrics",
//         "127.0.0.1:9464"),
//     }};
//     return spec;
//   }
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"
#include "core/secrets/secret_ref.hpp"

namespace crmsync::settings {

// Where parsing reports problems.
class ParseContext {
 public:
  ParseContext(Diagnostics& diags, std::string file) : diags_(diags), file_(std::move(file)) {}

  SourceLocation at(const YAML::Node& node) const;
  void error(const YAML::Node& node, std::string message, std::string help = {});
  void warning(const YAML::Node& node, std::string message, std::string help = {});
  Diagnostics& diagnostics() { return diags_; }
  const std::string& file() const { return file_; }

 private:
  Diagnostics& diags_;
  std::string file_;
};

class SpecBase;

// What the reference documentation shows of one option.
struct OptionDoc {
  std::string name{};
  std::string type{};           // "string", "integer (1..65535)", "duration", "secret", ...
  std::string default_value{};  // rendered; empty when there is none
  bool required = false;
  std::vector<std::string> allowed{};
  std::string doc{};
  const SpecBase* section = nullptr;  // nested section, documented after this one
  // For a section chosen by its `type:` key: each variant's name and spec.
  std::vector<std::pair<std::string, const SpecBase*>> variants{};
};

class SpecBase {
 public:
  virtual ~SpecBase() = default;
  virtual const std::string& title() const = 0;
  virtual const std::string& doc() const = 0;
  virtual std::vector<OptionDoc> option_docs() const = 0;
  virtual std::vector<std::string_view> keys() const = 0;
};

template <class T>
struct Option {
  OptionDoc doc;
  std::function<void(T&)> apply_default;  // may be empty: member keeps its value-initialised state
  std::function<void(T&, const YAML::Node&, ParseContext&)> parse;
};

template <class T>
class Spec final : public SpecBase {
 public:
  // `check` runs after the options parsed, for rules that span several settings
  // ("jwt_bearer needs username and private_key").
  using Check = std::function<void(const T&, const YAML::Node&, ParseContext&)>;

  Spec(std::string title, std::string doc, std::vector<Option<T>> options, Check check = {})
      : title_(std::move(title)),
        doc_(std::move(doc)),
        options_(std::move(options)),
        check_(std::move(check)) {}

  const std::string& title() const override { return title_; }
  const std::string& doc() const override { return doc_; }
  std::vector<OptionDoc> option_docs() const override {
    std::vector<OptionDoc> docs;
    for (const auto& option : options_)
      docs.push_back(option.doc);
    return docs;
  }
  std::vector<std::string_view> keys() const override {
    std::vector<std::string_view> names;
    for (const auto& option : options_)
      names.push_back(option.doc.name);
    return names;
  }

  // Applies every default, then parses each key of `map` into `out`. Unknown keys, missing
  // required keys and bad values are reported to `ctx`; parsing goes on to find them all.
  // `extra_keys` are accepted and left to the caller (a variant section's `type:`).
  void parse(const YAML::Node& map, T& out, ParseContext& ctx,
             const std::vector<std::string_view>& extra_keys = {}) const;

  void apply_defaults(T& out) const {
    for (const auto& option : options_)
      if (option.apply_default) option.apply_default(out);
  }

 private:
  std::string title_;
  std::string doc_;
  std::vector<Option<T>> options_;
  Check check_;
};

// Reports `node` is not a map (with the setting's name) and returns false.
bool expect_map(const YAML::Node& node, std::string_view what, ParseContext& ctx);
// Reports unknown keys of a map with did-you-mean; returns the known ones present.
void check_keys(const YAML::Node& map, const std::vector<std::string_view>& known,
                std::string_view where, ParseContext& ctx);

template <class T>
void Spec<T>::parse(const YAML::Node& map, T& out, ParseContext& ctx,
                    const std::vector<std::string_view>& extra_keys) const {
  apply_defaults(out);
  if (!expect_map(map, title_, ctx)) return;
  auto known = keys();
  known.insert(known.end(), extra_keys.begin(), extra_keys.end());
  check_keys(map, known, title_, ctx);
  for (const auto& option : options_) {
    const YAML::Node value = map[option.doc.name];
    if (!value.IsDefined() || value.IsNull()) {
      if (option.doc.required) {
        ctx.error(map, "missing required setting '" + option.doc.name + "' in " + title_,
                  "add '" + option.doc.name + ":' (" + option.doc.doc + ")");
      }
      continue;
    }
    option.parse(out, value, ctx);
  }
  if (check_) check_(out, map, ctx);
}

// ---- scalar readers shared by the option factories (also useful to mapping specs) ----
std::optional<std::string> read_string(const YAML::Node& node, std::string_view name,
                                       ParseContext& ctx);
std::optional<std::int64_t> read_integer(const YAML::Node& node, std::string_view name,
                                         std::int64_t min, std::int64_t max, ParseContext& ctx);
std::optional<bool> read_bool(const YAML::Node& node, std::string_view name, ParseContext& ctx);
// "250ms", "30s", "5m", "2h", "1d"; a bare number is seconds.
std::optional<std::chrono::milliseconds> read_duration(const YAML::Node& node,
                                                       std::string_view name, ParseContext& ctx);
std::optional<std::chrono::milliseconds> parse_duration_text(std::string_view text);
std::string format_duration(std::chrono::milliseconds value);
// A scalar or a list of scalars; "a b" in a scalar stays one item.
std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node,
                                                         std::string_view name, ParseContext& ctx);
// A relative path in a file means relative to that file's directory, not to the process's cwd.
std::filesystem::path resolve_relative_to_file(const std::filesystem::path& path,
                                               const std::string& file);
std::optional<SecretRef> read_secret(const YAML::Node& node, std::string_view name,
                                     ParseContext& ctx);

// A listen address "host:port" where host is an IPv4/IPv6 literal or "localhost".
struct HostPort {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const;
  bool is_loopback() const;
};
std::optional<HostPort> parse_host_port(std::string_view text);

// ---- option factories: one line declares one setting ----
struct Range {
  std::int64_t min;
  std::int64_t max;
};

template <class T>
Option<T> string_option(std::string name, std::string T::*member, std::string doc,
                        std::optional<std::string> fallback = std::nullopt) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "string",
                .default_value = fallback.value_or(""),
                .required = !fallback,
                .doc = std::move(doc)};
  if (fallback) option.apply_default = [member, value = *fallback](T& out) { out.*member = value; };
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    if (auto value = read_string(node, name, ctx)) out.*member = std::move(*value);
  };
  return option;
}

// Why a URL is unacceptable ("" when fine): https:// anywhere, http:// only to loopback, where
// nothing leaves the machine (the sandbox, a local proxy).
std::string url_problem(std::string_view url);

// A string that must be an https:// URL (http:// is allowed for loopback addresses only).
template <class T>
Option<T> url_option(std::string name, std::string T::*member, std::string doc,
                     std::optional<std::string> fallback = std::nullopt) {
  Option<T> option = string_option<T>(std::move(name), member, std::move(doc), fallback);
  option.doc.type = "URL";
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    auto value = read_string(node, name, ctx);
    if (!value) return;
    if (auto problem = url_problem(*value); !problem.empty()) {
      ctx.error(node, "'" + name + "' " + problem, "for example https://acme.my.salesforce.com");
      return;
    }
    out.*member = std::move(*value);
  };
  return option;
}

template <class T>
Option<T> integer_option(std::string name, std::int64_t T::*member, std::string doc,
                         std::int64_t fallback, Range range) {
  Option<T> option;
  option.doc = {
      .name = std::move(name),
      .type = "integer (" + std::to_string(range.min) + ".." + std::to_string(range.max) + ")",
      .default_value = std::to_string(fallback),
      .doc = std::move(doc)};
  option.apply_default = [member, fallback](T& out) { out.*member = fallback; };
  option.parse = [member, range, name = option.doc.name](T& out, const YAML::Node& node,
                                                         ParseContext& ctx) {
    if (auto value = read_integer(node, name, range.min, range.max, ctx)) out.*member = *value;
  };
  return option;
}

template <class T>
Option<T> bool_option(std::string name, bool T::*member, std::string doc, bool fallback) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "boolean",
                .default_value = fallback ? "true" : "false",
                .doc = std::move(doc)};
  option.apply_default = [member, fallback](T& out) { out.*member = fallback; };
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    if (auto value = read_bool(node, name, ctx)) out.*member = *value;
  };
  return option;
}

template <class T>
Option<T> duration_option(std::string name, std::chrono::milliseconds T::*member, std::string doc,
                          std::string fallback, std::chrono::milliseconds min,
                          std::chrono::milliseconds max) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "duration (" + format_duration(min) + ".." + format_duration(max) + ")",
                .default_value = fallback,
                .doc = std::move(doc)};
  const auto parsed_fallback = parse_duration_text(fallback).value();
  option.apply_default = [member, parsed_fallback](T& out) { out.*member = parsed_fallback; };
  option.parse = [member, min, max, name = option.doc.name](T& out, const YAML::Node& node,
                                                            ParseContext& ctx) {
    auto value = read_duration(node, name, ctx);
    if (!value) return;
    if (*value < min || *value > max) {
      ctx.error(node, "'" + name + "' must be between " + format_duration(min) + " and "
                          + format_duration(max));
      return;
    }
    out.*member = *value;
  };
  return option;
}

template <class T>
Option<T> path_option(std::string name, std::filesystem::path T::*member, std::string doc,
                      std::optional<std::string> fallback = std::nullopt) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "path",
                .default_value = fallback.value_or(""),
                .required = !fallback,
                .doc = std::move(doc)};
  if (fallback) option.apply_default = [member, value = *fallback](T& out) { out.*member = value; };
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    auto value = read_string(node, name, ctx);
    if (!value) return;
    if (value->empty()) {
      ctx.error(node, "'" + name + "' must not be empty");
      return;
    }
    out.*member = resolve_relative_to_file(*value, ctx.file());
  };
  return option;
}

template <class T>
Option<T> secret_option(std::string name, SecretRef T::*member, std::string doc,
                        bool required = false) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "secret ({ file | credential | env: ... })",
                .required = required,
                .doc = std::move(doc)};
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    if (auto value = read_secret(node, name, ctx)) out.*member = std::move(*value);
  };
  return option;
}

template <class T>
Option<T> string_list_option(std::string name, std::vector<std::string> T::*member, std::string doc,
                             bool required = false) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "list of strings",
                .required = required,
                .doc = std::move(doc)};
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    if (auto value = read_string_list(node, name, ctx)) out.*member = std::move(*value);
  };
  return option;
}

template <class T>
Option<T> host_port_option(std::string name, HostPort T::*member, std::string doc,
                           std::string fallback) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "host:port",
                .default_value = fallback,
                .doc = std::move(doc)};
  const auto parsed_fallback = parse_host_port(fallback).value();
  option.apply_default = [member, parsed_fallback](T& out) { out.*member = parsed_fallback; };
  option.parse = [member, name = option.doc.name](T& out, const YAML::Node& node,
                                                  ParseContext& ctx) {
    auto text = read_string(node, name, ctx);
    if (!text) return;
    auto value = parse_host_port(*text);
    if (!value) {
      ctx.error(
          node,
          "'" + name + "' must be host:port with an IP address or 'localhost', got '" + *text + "'",
          "for example 127.0.0.1:9464 or [::1]:9464");
      return;
    }
    out.*member = *value;
  };
  return option;
}

// One of a fixed set of names, each bound to a value (usually an enum).
template <class T, class E>
Option<T> choice_option(std::string name, E T::*member, std::string doc,
                        std::vector<std::pair<std::string, E>> choices,
                        std::optional<E> fallback = std::nullopt) {
  Option<T> option;
  option.doc = {
      .name = std::move(name), .type = "choice", .required = !fallback, .doc = std::move(doc)};
  for (const auto& [label, value] : choices) {
    option.doc.allowed.push_back(label);
    if (fallback && value == *fallback) option.doc.default_value = label;
  }
  if (fallback) option.apply_default = [member, value = *fallback](T& out) { out.*member = value; };
  option.parse = [member, choices, name = option.doc.name](T& out, const YAML::Node& node,
                                                           ParseContext& ctx) {
    auto text = read_string(node, name, ctx);
    if (!text) return;
    std::vector<std::string_view> labels;
    for (const auto& [label, value] : choices) {
      if (label == *text) {
        out.*member = value;
        return;
      }
      labels.push_back(label);
    }
    std::string allowed;
    for (const auto& label : labels)
      allowed += (allowed.empty() ? "" : ", ") + std::string(label);
    auto help = suggestion_help(*text, labels);
    ctx.error(node, "unknown " + name + " '" + *text + "' (expected one of: " + allowed + ")",
              help);
  };
  return option;
}

template <class T, class U>
Option<T> section_option(std::string name, U T::*member, const Spec<U>& spec, std::string doc,
                         bool required = false) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "section",
                .required = required,
                .doc = std::move(doc),
                .section = &spec};
  // Defaults of a section apply even when the section is absent.
  option.apply_default = [member, &spec](T& out) { spec.apply_defaults(out.*member); };
  option.parse = [member, &spec](T& out, const YAML::Node& node, ParseContext& ctx) {
    spec.parse(node, out.*member, ctx);
  };
  return option;
}

template <class T, class U>
Option<T> section_list_option(std::string name, std::vector<U> T::*member, const Spec<U>& spec,
                              std::string doc, bool required = false) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "list of sections",
                .required = required,
                .doc = std::move(doc),
                .section = &spec};
  option.parse = [member, &spec, name = option.doc.name](T& out, const YAML::Node& node,
                                                         ParseContext& ctx) {
    if (!node.IsSequence()) {
      ctx.error(node, "'" + name + "' must be a list");
      return;
    }
    for (const auto& item : node) {
      U value{};
      spec.parse(item, value, ctx);
      (out.*member).push_back(std::move(value));
    }
  };
  return option;
}

// A section whose shape depends on its `type:` key: the CRM connector, each source. Each variant
// is declared by the component that owns it (connectors/registry.cpp lists them).
template <class Base>
struct Variant {
  std::string type;
  std::string doc;
  const SpecBase* spec = nullptr;
  // Parses the whole map (its `type:` key already checked) into a new settings object.
  std::function<std::shared_ptr<Base>(const YAML::Node&, ParseContext&)> parse;
};

// Makes a Variant for a settings struct `S` derived from `Base` with its own Spec<S>.
template <class Base, class S>
Variant<Base> make_variant(std::string type, std::string doc, const Spec<S>& spec) {
  Variant<Base> variant{.type = type, .doc = std::move(doc), .spec = &spec, .parse = {}};
  variant.parse = [&spec, type](const YAML::Node& node, ParseContext& ctx) {
    auto settings = std::make_shared<S>();
    settings->type = type;
    spec.parse(node, *settings, ctx, {"type"});
    return std::shared_ptr<Base>(std::move(settings));
  };
  return variant;
}

// Parses one variant section: reads `type:`, suggests a close name when unknown.
template <class Base>
std::shared_ptr<Base> parse_variant(const YAML::Node& node, std::string_view what,
                                    const std::vector<Variant<Base>>& variants, ParseContext& ctx) {
  if (!expect_map(node, what, ctx)) return nullptr;
  const YAML::Node type_node = node["type"];
  std::vector<std::string_view> names;
  for (const auto& variant : variants)
    names.push_back(variant.type);
  if (!type_node.IsDefined() || type_node.IsNull()) {
    std::string list;
    for (auto n : names)
      list += (list.empty() ? "" : ", ") + std::string(n);
    ctx.error(node, "missing required setting 'type' in " + std::string(what), "one of: " + list);
    return nullptr;
  }
  auto type = read_string(type_node, "type", ctx);
  if (!type) return nullptr;
  for (const auto& variant : variants)
    if (variant.type == *type) return variant.parse(node, ctx);
  ctx.error(type_node, "unknown " + std::string(what) + " type '" + *type + "'",
            suggestion_help(*type, names));
  return nullptr;
}

template <class T, class Base>
Option<T> variant_option(std::string name, std::shared_ptr<Base> T::*member,
                         const std::vector<Variant<Base>>& variants, std::string doc,
                         bool required = true) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "section (by type)",
                .required = required,
                .doc = std::move(doc)};
  for (const auto& variant : variants)
    option.doc.variants.emplace_back(variant.type, variant.spec);
  option.parse = [member, &variants, name = option.doc.name](T& out, const YAML::Node& node,
                                                             ParseContext& ctx) {
    out.*member = parse_variant(node, name, variants, ctx);
  };
  return option;
}

template <class T, class Base>
Option<T> variant_list_option(std::string name, std::vector<std::shared_ptr<Base>> T::*member,
                              const std::vector<Variant<Base>>& variants, std::string doc,
                              bool required = false) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = "list of sections (by type)",
                .required = required,
                .doc = std::move(doc)};
  for (const auto& variant : variants)
    option.doc.variants.emplace_back(variant.type, variant.spec);
  option.parse = [member, &variants, name = option.doc.name](T& out, const YAML::Node& node,
                                                             ParseContext& ctx) {
    if (!node.IsSequence()) {
      ctx.error(node, "'" + name + "' must be a list");
      return;
    }
    for (const auto& item : node)
      if (auto value = parse_variant(item, name, variants, ctx))
        (out.*member).push_back(std::move(value));
  };
  return option;
}

// The markdown reference of a spec and everything below it (docs/configuration.md).
std::string render_reference(const SpecBase& root, std::string_view heading);

}  // namespace crmsync::settings
