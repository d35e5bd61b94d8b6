#include "daemon/cli/online_schema_check.hpp"

#include <set>

#include "core/error.hpp"
#include "mappings/schema_check.hpp"

namespace crmsync::cli {
namespace {

mappings::CrmFieldType neutral_type(const std::string& type) {
  using mappings::CrmFieldType;
  if (type == "string" || type == "combobox" || type == "encryptedstring")
    return CrmFieldType::text;
  if (type == "email") return CrmFieldType::email;
  if (type == "phone") return CrmFieldType::phone;
  if (type == "url") return CrmFieldType::url;
  if (type == "date") return CrmFieldType::date;
  if (type == "datetime") return CrmFieldType::datetime;
  if (type == "boolean") return CrmFieldType::boolean;
  if (type == "int" || type == "double" || type == "currency" || type == "percent"
      || type == "long")
    return CrmFieldType::number;
  if (type == "picklist" || type == "multipicklist") return CrmFieldType::picklist;
  if (type == "reference" || type == "id") return CrmFieldType::reference;
  if (type == "textarea") return CrmFieldType::textarea;
  return CrmFieldType::other;
}

mappings::CrmObjectDescription describe_neutrally(const CrmSchema& schema) {
  mappings::CrmObjectDescription object;
  object.name = schema.object;
  for (const auto& field : schema.fields) {
    mappings::CrmFieldDescription description;
    description.name = field.name;
    description.type = neutral_type(field.type);
    description.length = field.length;
    description.createable = field.createable;
    description.updateable = field.updateable;
    description.required = field.required_on_create();
    description.upsert_key = field.external_id || field.id_lookup;
    if (field.restricted_picklist) description.picklist_values = field.picklist_values;
    description.reference_to = field.reference_to;
    object.fields.push_back(std::move(description));
  }
  return object;
}

}  // namespace

void check_mappings_online(const std::vector<mappings::Mapping>& used, Crm& crm,
                           Diagnostics& diags) {
  // Every object a mapping writes or looks up, described once.
  std::set<std::string> names;
  for (const auto& mapping : used) {
    names.insert(mapping.primary.object);
    for (const auto& related : mapping.related)
      names.insert(related.object);
    for (const auto& field : mapping.primary.fields)
      if (field.is_lookup) names.insert(field.lookup.object);
  }
  std::vector<mappings::CrmObjectDescription> objects;
  for (const auto& name : names) {
    try {
      objects.push_back(describe_neutrally(crm.describe(name)));
    } catch (const Error& e) {
      // An object the CRM does not have is the mapping's problem: check_against_schema says
      // where. Anything else (auth, outage) stops the check.
      if (e.category() != ErrorCategory::config) throw;
    }
  }
  for (const auto& mapping : used)
    mappings::check_against_schema(mapping, objects, diags);
}

}  // namespace crmsync::cli
