// mappings/mapping_spec.cpp — the declarations. Keys whose value is itself a map of names the
// admin chooses (fields, conflicts) or a list of shapes (match, examples) have their own small
// parsers here, still declared as one Option each so the docs and did-you-mean see them.
#include "mappings/mapping_spec.hpp"

#include <charconv>

#include "mappings/transform_chain.hpp"
#include "mappings/transforms/phone.hpp"

namespace crmsync::mappings {
namespace {

using settings::Option;
using settings::ParseContext;
using settings::Spec;

template <class T>
Option<T> custom_option(std::string name, std::string type, std::string doc,
                        std::function<void(T&, const YAML::Node&, ParseContext&)> parse,
                        bool required = false, const settings::SpecBase* section = nullptr) {
  Option<T> option;
  option.doc = {.name = std::move(name),
                .type = std::move(type),
                .default_value = {},
                .required = required,
                .allowed = {},
                .doc = std::move(doc),
                .section = section,
                .variants = {}};
  option.parse = std::move(parse);
  return option;
}

const Spec<LookupSpec>& lookup_spec() {
  static const Spec<LookupSpec> spec{
      "lookup",
      "A field whose value is the id of another record, found by one of its fields.",
      {
          settings::string_option("object", &LookupSpec::object,
                                  "the object to look in (Account, User)"),
          settings::string_option("by", &LookupSpec::by,
                                  "the field of that object compared with the value (Name, Email)"),
          settings::string_list_option(
              "from", &LookupSpec::from,
              "source column aliases giving the value; first present wins"),
          settings::string_option("value", &LookupSpec::value,
                                  "a template giving the value instead, such as \"{{rep}}\"",
                                  std::string()),
          settings::bool_option("create", &LookupSpec::create,
                                "create the record (with `by` set to the value) when none matches",
                                false),
      }};
  return spec;
}

const Spec<SkipRule>& skip_rule_spec() {
  static const Spec<SkipRule> spec{
      "skip_if",
      "A row is skipped (and reported as skipped) when the column's text matches the pattern.",
      {
          settings::string_list_option("column", &SkipRule::column, "column aliases to test", true),
          settings::string_option("matches", &SkipRule::matches,
                                  "an RE2 pattern, such as \"(?i)^(total|subtotal)\\\\b\""),
      }};
  return spec;
}

const Spec<RowFilter>& filter_spec() {
  static const Spec<RowFilter> spec{
      "filter",
      "Rows that are not records: blank rows, totals, notes.",
      {
          settings::bool_option("skip_blank", &RowFilter::skip_blank,
                                "skip rows whose cells are all empty, without reporting them",
                                true),
          settings::section_list_option("skip_if", &RowFilter::skip_if, skip_rule_spec(),
                                        "skip rows whose column matches a pattern"),
      }};
  return spec;
}

void parse_lookup(FieldSpec& field, const YAML::Node& node, ParseContext& ctx) {
  field.is_lookup = true;
  lookup_spec().parse(node, field.lookup, ctx);
  if (field.lookup.from.empty() && field.lookup.value.empty())
    ctx.error(node,
              "lookup of '" + field.name + "' needs 'from:' (columns) or 'value:' (a template)");
  if (!field.lookup.from.empty() && !field.lookup.value.empty())
    ctx.error(node, "lookup of '" + field.name + "' has both 'from:' and 'value:'", "keep one");
}

std::optional<double> read_fraction(const YAML::Node& node, ParseContext& ctx) {
  auto text = settings::read_string(node, "threshold", ctx);
  if (!text) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value <= 0 || value > 1) {
    ctx.error(node, "'threshold' must be a number above 0 and at most 1, got '" + *text + "'",
              "for example 0.9");
    return std::nullopt;
  }
  return value;
}

void parse_match(ObjectMapping& object, const YAML::Node& node, ParseContext& ctx) {
  if (!node.IsSequence()) {
    ctx.error(node, "'match' must be a list of rules",
              "for example [ { exact: Email }, { fuzzy: [FirstName, LastName], threshold: 0.9 } ]");
    return;
  }
  static const std::vector<std::string_view> kKeys = {"exact", "fuzzy", "threshold"};
  for (const auto& item : node) {
    if (!settings::expect_map(item, "match rule", ctx)) continue;
    settings::check_keys(item, kKeys, "match rule", ctx);
    MatchRule rule;
    const bool exact = item["exact"].IsDefined();
    const bool fuzzy = item["fuzzy"].IsDefined();
    if (exact == fuzzy) {
      ctx.error(item, "a match rule is either { exact: Field } or { fuzzy: [Fields] }");
      continue;
    }
    rule.kind = exact ? MatchRule::Kind::exact : MatchRule::Kind::fuzzy;
    const YAML::Node names = exact ? item["exact"] : item["fuzzy"];
    auto fields = settings::read_string_list(names, exact ? "exact" : "fuzzy", ctx);
    if (!fields) continue;
    rule.fields = std::move(*fields);
    for (std::size_t i = 0; i < rule.fields.size(); ++i)
      rule.where.push_back(ctx.at(names.IsSequence() && i < names.size() ? names[i] : names));
    if (item["threshold"].IsDefined()) {
      if (exact) {
        ctx.error(item["threshold"], "'threshold' belongs to fuzzy rules only");
        continue;
      }
      auto threshold = read_fraction(item["threshold"], ctx);
      if (!threshold) continue;
      rule.threshold = *threshold;
    }
    object.match.push_back(std::move(rule));
  }
}

void parse_fields(ObjectMapping& object, const YAML::Node& node, ParseContext& ctx) {
  if (!node.IsMap()) {
    ctx.error(node, "'fields' must map CRM field names to where their values come from",
              "for example LastName: { from: [\"Last Name\", Surname] }");
    return;
  }
  for (const auto& entry : node) {
    FieldSpec field;
    field.name = entry.first.Scalar();
    field.where = ctx.at(entry.first);
    YAML::Node value = entry.second;
    // Shorthand: `Title: Position` reads the column "Position" as is.
    if (value.IsScalar() || value.IsSequence()) {
      if (auto from = settings::read_string_list(value, "from", ctx)) field.from = std::move(*from);
      object.fields.push_back(std::move(field));
      continue;
    }
    field_spec().parse(value, field, ctx);
    const int sources = (field.from.empty() ? 0 : 1) + (value["const"].IsDefined() ? 1 : 0)
                        + (field.template_text.empty() ? 0 : 1) + (field.is_lookup ? 1 : 0);
    if (sources == 0)
      ctx.error(entry.first, "field '" + field.name + "' has no source",
                "give it one of 'from:', 'const:', 'template:' or 'lookup:'");
    else if (sources > 1)
      ctx.error(entry.first, "field '" + field.name + "' has more than one source",
                "keep one of 'from:', 'const:', 'template:' or 'lookup:'");
    bool needs_match_only = false;
    for (const auto& use : field.transforms)
      needs_match_only = needs_match_only || use.decl->match_only;
    if (needs_match_only && !field.match_only)
      ctx.error(entry.first,
                "field '" + field.name + "' uses a matching-only transform but would be written",
                "add 'match_only: true', or remove the transform from a field written to the CRM");
    object.fields.push_back(std::move(field));
  }
}

void parse_conflicts(ObjectMapping& object, const YAML::Node& node, ParseContext& ctx) {
  if (!node.IsMap()) {
    ctx.error(node, "'conflicts' must map field names (or 'default') to a policy",
              "for example { default: fill_empty, Title: newest_wins }");
    return;
  }
  std::vector<std::string_view> policy_names;
  for (const auto& [label, value] : conflict_policies())
    policy_names.push_back(label);
  std::vector<std::string_view> field_names = {"default"};
  for (const auto& field : object.fields)
    field_names.push_back(field.name);
  auto policy_of = [&](const YAML::Node& value) -> std::optional<ConflictPolicy> {
    auto text = settings::read_string(value, "conflicts", ctx);
    if (!text) return std::nullopt;
    for (const auto& [label, policy] : conflict_policies())
      if (label == *text) return policy;
    std::string list;
    for (auto name : policy_names) {
      if (!list.empty()) list += ", ";
      list += std::string(name);
    }
    ctx.error(value, "unknown conflict policy '" + *text + "' (expected one of: " + list + ")",
              suggestion_help(*text, policy_names));
    return std::nullopt;
  };
  if (node["default"].IsDefined())
    if (auto policy = policy_of(node["default"])) object.default_policy = *policy;
  for (auto& field : object.fields)
    field.policy = object.default_policy;
  for (const auto& entry : node) {
    const std::string name = entry.first.Scalar();
    if (name == "default") continue;
    auto field = std::find_if(object.fields.begin(), object.fields.end(),
                              [&](const FieldSpec& f) { return f.name == name; });
    if (field == object.fields.end()) {
      ctx.error(entry.first, "conflict policy for unknown field '" + name + "'",
                suggestion_help(name, field_names));
      continue;
    }
    if (auto policy = policy_of(entry.second)) field->policy = *policy;
  }
}

std::vector<Option<ObjectMapping>> object_options() {
  std::vector<std::string> policies;
  for (const auto& [label, value] : conflict_policies())
    policies.push_back(label);
  auto conflicts = custom_option<ObjectMapping>(
      "conflicts", "map: field -> policy", "per-field conflict policy; 'default' sets the rest",
      parse_conflicts);
  conflicts.doc.allowed = policies;
  conflicts.doc.default_value = "fill_empty";
  return {
      settings::string_option("object", &ObjectMapping::object,
                              "the CRM object's API name (Contact, Account)"),
      settings::string_list_option("key", &ObjectMapping::key,
                                   "fields whose values identify a row across edits of its file (a "
                                   "row with none: all its values)"),
      settings::string_option(
          "external_id", &ObjectMapping::external_id,
          "on the mapping's own object, a field of `fields` the CRM holds as an External ID: a row "
          "whose value a CRM record already has (letter case aside) is that record (matched "
          "before email and phone) "
          "and is updated under the conflict policies; a new record is upserted on the value, so "
          "a create sent twice (a crash, a retry) makes one record",
          ""),
      custom_option<ObjectMapping>("fields", "map: CRM field -> field",
                                   "where each CRM field's value comes from (see `field`)",
                                   parse_fields, true, &field_spec()),
      custom_option<ObjectMapping>("match", "list of rules",
                                   "how a row finds its CRM record: { exact: Email }, { fuzzy: "
                                   "[FirstName, LastName], threshold: 0.9 }; tried in order",
                                   parse_match),
      conflicts,
  };
}

}  // namespace

std::string_view to_string(ConflictPolicy policy) noexcept {
  for (const auto& [label, value] : conflict_policies())
    if (value == policy) return label;
  return "fill_empty";
}

const std::vector<std::pair<std::string, ConflictPolicy>>& conflict_policies() {
  static const std::vector<std::pair<std::string, ConflictPolicy>> policies = {
      {"fill_empty", ConflictPolicy::fill_empty}, {"source_wins", ConflictPolicy::source_wins},
      {"crm_wins", ConflictPolicy::crm_wins},     {"newest_wins", ConflictPolicy::newest_wins},
      {"append", ConflictPolicy::append},         {"never", ConflictPolicy::never},
  };
  return policies;
}

const Spec<FieldSpec>& field_spec() {
  static const Spec<FieldSpec> spec{
      "field",
      "One CRM field: exactly one source (from, const, template or lookup), then transforms.",
      {
          settings::string_list_option("from", &FieldSpec::from,
                                       "source column names or aliases, compared ignoring case, "
                                       "spaces and punctuation; the first present wins"),
          settings::string_option("const", &FieldSpec::constant, "a fixed value", std::string()),
          settings::string_option("template", &FieldSpec::template_text,
                                  "text with {{Column}} placeholders, and {{rep}}, {{file}}, "
                                  "{{sheet}}, {{row}}, {{source}}",
                                  std::string()),
          custom_option<FieldSpec>("lookup", "section", "the id of another record (see `lookup`)",
                                   parse_lookup, false, &lookup_spec()),
          custom_option<FieldSpec>(
              "transform", "list of transforms",
              "applied in order: a name, or { name: { parameter: value } } (see Transforms)",
              [](FieldSpec& field, const YAML::Node& node, ParseContext& ctx) {
                field.transforms = parse_transform_chain(node, ctx);
              }),
          settings::bool_option("required", &FieldSpec::required,
                                "reject the row when the value is empty after transforms", false),
          settings::string_option("default", &FieldSpec::default_value,
                                  "the value when the source is empty", std::string()),
          custom_option<FieldSpec>(
              "fallback", "section",
              "another source and transforms (`from`, `template`, `transform`) used when the file "
              "has none of the `from` columns",
              [](FieldSpec& field, const YAML::Node& node, ParseContext& ctx) {
                static const std::vector<std::string_view> kKeys = {"from", "template",
                                                                    "transform"};
                if (!settings::expect_map(node, "fallback", ctx)) return;
                settings::check_keys(node, kKeys, "fallback", ctx);
                auto fallback = std::make_shared<FieldSpec>();
                fallback->name = field.name;
                if (node["from"].IsDefined())
                  if (auto from = settings::read_string_list(node["from"], "from", ctx))
                    fallback->from = std::move(*from);
                if (node["template"].IsDefined())
                  if (auto text = settings::read_string(node["template"], "template", ctx))
                    fallback->template_text = std::move(*text);
                if (node["transform"].IsDefined())
                  fallback->transforms = parse_transform_chain(node["transform"], ctx);
                if (fallback->from.empty() == fallback->template_text.empty())
                  ctx.error(node, "a fallback needs exactly one of 'from:' or 'template:'");
                field.fallback = std::move(fallback);
              }),
          settings::bool_option("match_only", &FieldSpec::match_only,
                                "a matching key, never written to the CRM (company_key needs it)",
                                false),
      }};
  return spec;
}

const Spec<ObjectMapping>& object_spec() {
  static const Spec<ObjectMapping> spec{"related", "Another CRM object the same row feeds.",
                                        object_options()};
  return spec;
}

const Spec<Mapping>& mapping_spec() {
  static const Spec<Mapping> spec = [] {
    std::vector<Option<Mapping>> options;
    options.push_back(settings::string_option("description", &Mapping::description,
                                              "what the mapping is for, shown by `crmsync preview`",
                                              std::string()));
    options.push_back(settings::string_option(
        "sheet", &Mapping::sheet,
        "the worksheet to read; by default the one whose header fits the mapping best",
        std::string()));
    auto region = settings::string_option(
        "phone_region", &Mapping::phone_region,
        "ISO 3166 country assumed by every `phone` transform that gives no `region`, for numbers "
        "written without '+' and country code; a rep's own `phone_region` (crmsync.yaml, the "
        "folder source's `reps:`) wins over it",
        std::string(kDefaultPhoneRegion));
    region.parse = [](Mapping& m, const YAML::Node& node, ParseContext& ctx) {
      auto text = settings::read_string(node, "phone_region", ctx);
      if (!text) return;
      if (auto known = phone_region(*text)) {
        m.phone_region = std::move(*known);
        return;
      }
      ctx.error(node, "'phone_region' " + unknown_phone_region(*text), "for example DE");
    };
    options.push_back(std::move(region));
    // The primary object's keys sit at the top level of the file.
    for (auto& inner : object_options()) {
      Option<Mapping> option;
      option.doc = inner.doc;
      if (inner.apply_default)
        option.apply_default = [apply = inner.apply_default](Mapping& m) { apply(m.primary); };
      option.parse = [parse = inner.parse](Mapping& m, const YAML::Node& node, ParseContext& ctx) {
        parse(m.primary, node, ctx);
      };
      options.push_back(std::move(option));
    }
    options.push_back(
        settings::section_option("filter", &Mapping::filter, filter_spec(), "rows to skip"));
    options.push_back(
        settings::section_list_option("related", &Mapping::related, object_spec(),
                                      "other objects each row feeds, created or matched before the "
                                      "primary object (an Account before its Contact)"));
    options.push_back(custom_option<Mapping>(
        "examples", "list",
        "input cells and the fields (or rejection) they must give; `crmsync validate` runs them",
        [](Mapping& m, const YAML::Node& node, ParseContext& ctx) {
          if (!node.IsSequence()) {
            ctx.error(node, "'examples' must be a list of { input: {...}, expect: {...} }");
            return;
          }
          static const std::vector<std::string_view> kKeys = {"input", "expect", "reject"};
          for (const auto& item : node) {
            if (!settings::expect_map(item, "example", ctx)) continue;
            settings::check_keys(item, kKeys, "example", ctx);
            MappingExample example;
            example.where = ctx.at(item);
            auto read_pairs = [&](const YAML::Node& map,
                                  std::vector<std::pair<std::string, std::string>>& out) {
              if (!map.IsDefined()) return;
              if (!map.IsMap()) {
                ctx.error(map, "must be a map of names to values");
                return;
              }
              for (const auto& pair : map)
                out.emplace_back(pair.first.Scalar(),
                                 pair.second.IsScalar() ? pair.second.Scalar() : "");
            };
            read_pairs(item["input"], example.input);
            read_pairs(item["expect"], example.expect);
            if (item["reject"].IsDefined())
              if (auto reason = settings::read_string(item["reject"], "reject", ctx))
                example.reject = *reason;
            if (example.input.empty()) ctx.error(item, "an example needs 'input:' cells");
            if (example.expect.empty() == example.reject.empty())
              ctx.error(item,
                        "an example needs either 'expect:' fields or 'reject:' with the reason");
            m.examples.push_back(std::move(example));
          }
        }));
    return Spec<Mapping>{"mapping",
                         "A mapping file (/etc/crmsync/mappings/NAME.yaml): how rows of a source "
                         "become CRM records. The top level describes the primary object.",
                         std::move(options)};
  }();
  return spec;
}

}  // namespace crmsync::mappings
