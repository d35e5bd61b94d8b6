// Object and field metadata of the emulated org: drives describe, SOQL field resolution,
// write validation and value encoding. Standard objects follow reference §9; a YAML schema file
// can add custom fields and objects (README.md, "Schema file").
#pragma once

#include <array>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  std::size_t index = 0;  // position in ObjectDef::fields: the slot of its value in a Record

  [[nodiscard]] bool required_on_create() const {
    return createable && !nillable && !defaulted_on_create && type != FieldType::Boolean;
  }
};

// The system fields (reference §9.1) that every create, update or delete sets.
enum class SystemField {
  Id,
  IsDeleted,
  CreatedDate,
  LastModifiedDate,
  SystemModstamp,
  CreatedById,
  LastModifiedById,
  OwnerId
};
inline constexpr std::string_view kSystemFieldNames[] = {
    "Id",          "IsDeleted",        "CreatedDate", "LastModifiedDate", "SystemModstamp",
    "CreatedById", "LastModifiedById", "OwnerId"};

// The fields of a person object's compound Name, which every write of such an object derives.
enum class NameField { Name, FirstName, LastName };
inline constexpr std::string_view kNameFieldNames[] = {"Name", "FirstName", "LastName"};

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
  // The object's system field, or nullptr (a custom object of a schema file may lack some).
  // Resolved as fields are added, so a write sets them without looking names up.
  [[nodiscard]] const FieldDef* system_field(SystemField which) const {
    const std::size_t slot = system_slots_[static_cast<std::size_t>(which)];
    return slot < fields.size() ? &fields[slot] : nullptr;
  }
  // The field of exactly this name, or nullptr; resolved like the system fields.
  [[nodiscard]] const FieldDef* name_field(NameField which) const {
    const std::size_t slot = name_slots_[static_cast<std::size_t>(which)];
    return slot < fields.size() ? &fields[slot] : nullptr;
  }
  void add_field(FieldDef field);

 private:
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  template <std::size_t N>
  static constexpr std::array<std::size_t, N> no_slots() {
    std::array<std::size_t, N> slots{};
    slots.fill(kNoSlot);
    return slots;
  }
  std::array<std::size_t, std::size(kSystemFieldNames)> system_slots_ =
      no_slots<std::size(kSystemFieldNames)>();
  std::array<std::size_t, std::size(kNameFieldNames)> name_slots_ =
      no_slots<std::size(kNameFieldNames)>();
  // Compares names case-insensitively without lower-casing a copy: every field a request names
  // is looked up here, so the lookup must not allocate.
  struct FoldedHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view name) const;
  };
  struct FoldedEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };
  std::unordered_map<std::string, std::size_t, FoldedHash, FoldedEqual> index_;  // -> fields
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
// ASCII case-insensitive equality, as the org compares object and field names.
bool equals_folded(std::string_view a, std::string_view b);

}  // namespace sandbox::salesforce
