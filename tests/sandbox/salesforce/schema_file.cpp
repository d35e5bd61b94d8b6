// Loads the schema YAML file (--schema): custom fields on standard objects and custom objects.
// Every key is declared in one table per level; an unknown key is an error naming the file,
// line and the allowed keys, so a typo never silently drops a field.
#include <yaml-cpp/yaml.h>

#include <set>
#include <stdexcept>

#include "salesforce/schema.hpp"

namespace sandbox::salesforce {
namespace {

const std::set<std::string> kObjectKeys = {"name", "label", "labelPlural", "keyPrefix", "fields"};
const std::set<std::string> kFieldKeys = {
    "name",       "label",     "type",           "length",     "required",    "externalId",
    "unique",     "idLookup",  "picklistValues", "restricted", "referenceTo", "relationshipName",
    "createable", "updateable"};

[[noreturn]] void fail(const std::string& path, const YAML::Node& node, const std::string& why) {
  throw std::runtime_error(path + ":" + std::to_string(node.Mark().line + 1) + ":"
                           + std::to_string(node.Mark().column + 1) + ": " + why);
}

void check_keys(const std::string& path, const YAML::Node& node,
                const std::set<std::string>& allowed) {
  if (!node.IsMap()) fail(path, node, "expected a mapping");
  for (const auto& entry : node) {
    const auto key = entry.first.as<std::string>();
    if (allowed.count(key) == 0) {
      std::string names;
      for (const auto& name : allowed)
        names += (names.empty() ? "" : ", ") + name;
      fail(path, entry.first, "unknown key '" + key + "' (allowed: " + names + ")");
    }
  }
}

FieldDef parse_field(const std::string& path, const YAML::Node& node) {
  check_keys(path, node, kFieldKeys);
  if (!node["name"]) fail(path, node, "a field needs a name");
  FieldDef field;
  field.name = node["name"].as<std::string>();
  field.label = node["label"] ? node["label"].as<std::string>() : field.name;
  field.custom = field.name.size() > 3 && field.name.ends_with("__c");
  const auto type_text = node["type"] ? node["type"].as<std::string>() : std::string("string");
  const auto type = parse_type_name(type_text);
  if (!type || *type == FieldType::Id)
    fail(path, node["type"], "unknown field type '" + type_text + "'");
  field.type = *type;
  field.length = node["length"] ? node["length"].as<int>() : (is_text(field.type) ? 255 : 0);
  if (field.type == FieldType::Reference) field.length = 18;
  field.nillable = !(node["required"] && node["required"].as<bool>());
  field.external_id = node["externalId"] && node["externalId"].as<bool>();
  field.unique = node["unique"] && node["unique"].as<bool>();
  field.id_lookup = field.external_id || (node["idLookup"] && node["idLookup"].as<bool>());
  field.restricted_picklist = node["restricted"] && node["restricted"].as<bool>();
  if (node["picklistValues"])
    field.picklist_values = node["picklistValues"].as<std::vector<std::string>>();
  if (node["referenceTo"]) field.reference_to = {node["referenceTo"].as<std::string>()};
  if (node["relationshipName"])
    field.relationship_name = node["relationshipName"].as<std::string>();
  if (node["createable"]) field.createable = node["createable"].as<bool>();
  if (node["updateable"]) field.updateable = node["updateable"].as<bool>();
  if (field.type == FieldType::Reference && field.reference_to.empty()) {
    fail(path, node, "reference field '" + field.name + "' needs referenceTo");
  }
  return field;
}

}  // namespace

void Schema::load_yaml_file(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& error) {
    throw std::runtime_error(path + ": " + error.what());
  }
  try {
    check_keys(path, root, {"objects"});
    for (const auto& object_node : root["objects"]) {
      check_keys(path, object_node, kObjectKeys);
      if (!object_node["name"]) fail(path, object_node, "an object needs a name");
      const auto name = object_node["name"].as<std::string>();
      ObjectDef* object = nullptr;
      for (auto& existing : objects_) {
        if (lower(existing->name) == lower(name)) object = existing.get();
      }
      if (object == nullptr) {
        if (!object_node["keyPrefix"])
          fail(path, object_node, "new object '" + name + "' needs a keyPrefix");
        const auto prefix = object_node["keyPrefix"].as<std::string>();
        if (prefix.size() != 3 || find_by_prefix(prefix) != nullptr) {
          fail(path, object_node["keyPrefix"], "keyPrefix must be 3 characters and unused");
        }
        ObjectDef created;
        created.name = name;
        created.label = object_node["label"] ? object_node["label"].as<std::string>() : name;
        created.label_plural = object_node["labelPlural"]
                                   ? object_node["labelPlural"].as<std::string>()
                                   : created.label + "s";
        created.key_prefix = prefix;
        created.custom = name.ends_with("__c");
        // Custom objects get the same system fields and Name as standard ones.
        const Schema standard_schema = Schema::standard();
        for (const auto& field : standard_schema.find("Account")->fields) {
          if (field.name == "Id" || field.name == "IsDeleted" || field.name.ends_with("Date")
              || field.name.ends_with("ById") || field.name == "SystemModstamp"
              || field.name == "OwnerId") {
            FieldDef copy = field;
            if (copy.name == "Id") copy.label = created.label + " ID";
            created.add_field(copy);
          }
        }
        FieldDef record_name;
        record_name.name = "Name";
        record_name.label = created.label + " Name";
        record_name.length = 80;
        record_name.id_lookup = true;
        created.add_field(record_name);
        object = &add_object(std::move(created));
      }
      for (const auto& field_node : object_node["fields"])
        object->add_field(parse_field(path, field_node));
    }
  } catch (const YAML::Exception& error) {
    throw std::runtime_error(path + ":" + std::to_string(error.mark.line + 1) + ": " + error.msg);
  }
}

}  // namespace sandbox::salesforce
