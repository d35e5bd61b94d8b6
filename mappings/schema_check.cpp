#include "mappings/schema_check.hpp"

#include <algorithm>

#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

const CrmObjectDescription* find_object(const std::vector<CrmObjectDescription>& crm,
                                        std::string_view name) {
  for (const auto& object : crm)
    if (object.name == name) return &object;
  return nullptr;
}

const CrmFieldDescription* find_field(const CrmObjectDescription& object, std::string_view name) {
  for (const auto& field : object.fields)
    if (field.name == name) return &field;
  return nullptr;
}

std::vector<std::string_view> names_of(const CrmObjectDescription& object) {
  std::vector<std::string_view> names;
  for (const auto& field : object.fields)
    names.push_back(field.name);
  return names;
}

// The last transform decides what kind of value the field receives.
std::string produced_kind(const FieldSpec& field) {
  if (field.transforms.empty()) return {};
  return field.transforms.back().decl->name;
}

bool compatible(const std::string& kind, CrmFieldType type) {
  if (kind == "date")
    return type == CrmFieldType::date || type == CrmFieldType::datetime
           || type == CrmFieldType::text;
  if (kind == "email") return type == CrmFieldType::email || type == CrmFieldType::text;
  if (kind == "phone") return type == CrmFieldType::phone || type == CrmFieldType::text;
  if (kind == "url") return type == CrmFieldType::url || type == CrmFieldType::text;
  return true;
}

void check_object(const ObjectMapping& object, const std::vector<CrmObjectDescription>& crm,
                  const std::string& file, Diagnostics& diags) {
  const CrmObjectDescription* described = find_object(crm, object.object);
  const SourceLocation object_at{file, 0, 0, 1};
  if (described == nullptr) {
    std::vector<std::string_view> objects;
    for (const auto& candidate : crm)
      objects.push_back(candidate.name);
    diags.error(object.fields.empty() ? object_at : object.fields.front().where,
                "the CRM has no object '" + object.object + "'",
                suggestion_help(object.object, objects));
    return;
  }
  for (const auto& field : object.fields) {
    if (field.match_only) continue;
    const CrmFieldDescription* target = find_field(*described, field.name);
    if (target != nullptr && field.name == object.external_id && !target->upsert_key)
      diags.error(field.where,
                  object.object + "." + field.name
                      + " is the mapping's external_id but not an External ID field in the CRM",
                  "mark it External ID in the CRM, or remove external_id: upserts need one");
    if (target == nullptr) {
      diags.error(field.where, object.object + " has no field '" + field.name + "' in the CRM",
                  suggestion_help(field.name, names_of(*described)));
      continue;
    }
    if (!target->createable && !target->updateable && field.policy != ConflictPolicy::never) {
      diags.error(field.where, object.object + "." + field.name + " is read-only in the CRM",
                  "remove it, or set its conflict policy to 'never' to use it for matching only");
      continue;
    }
    if (field.is_lookup) {
      if (target->type != CrmFieldType::reference)
        diags.error(field.where, object.object + "." + field.name + " is not a reference field");
      else if (!target->reference_to.empty()
               && std::find(target->reference_to.begin(), target->reference_to.end(),
                            field.lookup.object)
                      == target->reference_to.end())
        diags.error(field.where, object.object + "." + field.name + " refers to "
                                     + target->reference_to.front() + ", not to '"
                                     + field.lookup.object + "'");
      else if (const auto* looked_up = find_object(crm, field.lookup.object);
               looked_up != nullptr && find_field(*looked_up, field.lookup.by) == nullptr)
        diags.error(field.where,
                    "lookup by '" + field.lookup.by + "': " + field.lookup.object
                        + " has no such field in the CRM",
                    suggestion_help(field.lookup.by, names_of(*looked_up)));
      continue;
    }
    if (const auto kind = produced_kind(field); !compatible(kind, target->type))
      diags.error(field.where, "transform '" + kind + "' gives values " + object.object + "."
                                   + field.name + " cannot hold (its CRM type differs)");
    const auto& constant = field.constant.empty() ? field.default_value : field.constant;
    if (target->length != 0 && constant.size() > target->length)
      diags.error(field.where, "the value '" + constant + "' is longer than " + object.object + "."
                                   + field.name + " allows (" + std::to_string(target->length)
                                   + " characters)");
    if (target->type == CrmFieldType::picklist && !constant.empty()
        && std::find(target->picklist_values.begin(), target->picklist_values.end(), constant)
               == target->picklist_values.end()) {
      std::vector<std::string_view> values(target->picklist_values.begin(),
                                           target->picklist_values.end());
      diags.error(
          field.where,
          "'" + constant + "' is not a value of the picklist " + object.object + "." + field.name,
          suggestion_help(constant, values));
    }
    for (const auto& use : field.transforms) {
      if (use.decl->name != "picklist" || target->type != CrmFieldType::picklist) continue;
      for (const auto& [value, aliases] : use.args.aliases("values"))
        if (std::find(target->picklist_values.begin(), target->picklist_values.end(), value)
            == target->picklist_values.end())
          diags.error(use.where, "picklist value '" + value + "' is not allowed by " + object.object
                                     + "." + field.name + " in the CRM");
    }
  }
  for (const auto& target : described->fields) {
    if (!target.required || !target.createable) continue;
    const bool mapped = std::any_of(object.fields.begin(), object.fields.end(),
                                    [&](const FieldSpec& f) { return f.name == target.name; });
    if (!mapped)
      diags.error(object.fields.empty() ? object_at : object.fields.front().where,
                  object.object + "." + target.name
                      + " is required by the CRM but the mapping never sets it",
                  "add a field '" + target.name + "' (from:, const: or template:)");
  }
}

}  // namespace

void check_against_schema(const Mapping& mapping, const std::vector<CrmObjectDescription>& crm,
                          Diagnostics& diags) {
  for (const auto& related : mapping.related)
    check_object(related, crm, mapping.file, diags);
  check_object(mapping.primary, crm, mapping.file, diags);
}

}  // namespace crmsync::mappings
