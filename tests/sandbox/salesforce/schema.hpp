// Object and field metadata of the emulated org: drives describe, SOQL field resolution,
// write validation and value encoding. Standard objects follow reference §9; a YAML schema file
// can add custom fields and objects (README.md, "Schema file").
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sandbox::salesforce {

enum class FieldType {
  Id,
  String,
  Textarea,
  Email,
  Phone,
  Url,
  Picklist,
  Reference,
  Boolean,
  Int,
  Double,
  Currency,
  Date,
  DateTime
};

std::string_view type_name(FieldType type);
std::optional<FieldType> parse_type_name(std::string_view name);
bool is_text(FieldType type);

struct FieldDef {
  std::string name;
  std::string label;
  FieldType type = FieldType::String;
  int length = 0;
  int precision = 0;
  int scale = 0;
  bool nillable = true;
  bool createable = true;
  bool updateable = true;
  bool defaulted_on_create = false;
  bool external_id = false;
  bool id_lookup = false;
  bool unique = false;
  bool custom = false;
  bool restricted_picklist = false;
  std::vector<std::string> picklist_values;
  std::vector<std::string> reference_to;
  std::string relationship_name;

  [[nodiscard]] bool required_on_create() const {
    return createable && !nillable && !defaulted_on_create && type != FieldType::Boolean;
  }
};

struct ObjectDef {
  std::string name;
  std::string label;
  std::string label_plural;
  std::string key_prefix;
  bool custom = false;
  std::vector<FieldDef> fields;

  // Case-insensitive, as SOQL and the REST API resolve names.
  [[nodiscard]] const FieldDef* find_field(std::string_view name) const;
  // The reference field whose relationshipName is `name` (Account -> AccountId).
  [[nodiscard]] const FieldDef* find_relationship(std::string_view name) const;
  void add_field(FieldDef field);

 private:
  std::map<std::string, std::size_t> index_;  // lower-cased name -> position in fields
};

class Schema {
 public:
  // User, Account, Contact and Lead with their standard and system fields.
  static Schema standard();
  // Adds the objects and fields of a schema YAML file; throws std::runtime_error with the
  // file name and reason on bad input.
  void load_yaml_file(const std::string& path);

  [[nodiscard]] const ObjectDef* find(std::string_view name) const;
  [[nodiscard]] const ObjectDef* find_by_prefix(std::string_view key_prefix) const;
  [[nodiscard]] const std::vector<std::unique_ptr<ObjectDef>>& objects() const { return objects_; }
  ObjectDef& add_object(ObjectDef object);

 private:
  std::vector<std::unique_ptr<ObjectDef>> objects_;
};

std::string lower(std::string_view text);

}  // namespace sandbox::salesforce
