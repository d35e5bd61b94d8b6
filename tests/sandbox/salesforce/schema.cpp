#include "salesforce/schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace sandbox::salesforce {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 14> kTypeNames{{
    {FieldType::Id, "id"},
    {FieldType::String, "string"},
    {FieldType::Textarea, "textarea"},
    {FieldType::Email, "email"},
    {FieldType::Phone, "phone"},
    {FieldType::Url, "url"},
    {FieldType::Picklist, "picklist"},
    {FieldType::Reference, "reference"},
    {FieldType::Boolean, "boolean"},
    {FieldType::Int, "int"},
    {FieldType::Double, "double"},
    {FieldType::Currency, "currency"},
    {FieldType::Date, "date"},
    {FieldType::DateTime, "datetime"},
}};

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {

// ASCII only, inline: std::tolower goes through the locale for every byte of every name looked up.
unsigned char fold(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 'A' && byte <= 'Z' ? static_cast<unsigned char>(byte + ('a' - 'A')) : byte;
}

}  // namespace

bool equals_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

std::string_view type_name(FieldType type) {
  for (const auto& [candidate, name] : kTypeNames) {
    if (candidate == type) return name;
  }
  return "string";
}

std::optional<FieldType> parse_type_name(std::string_view name) {
  for (const auto& [type, candidate] : kTypeNames) {
    if (candidate == name) return type;
  }
  return std::nullopt;
}

bool is_text(FieldType type) {
  switch (type) {
    case FieldType::String:
    case FieldType::Textarea:
    case FieldType::Email:
    case FieldType::Phone:
    case FieldType::Url:
    case FieldType::Picklist:
      return true;
    default:
      return false;
  }
}

std::size_t ObjectDef::FoldedHash::operator()(std::string_view name) const {
  std::size_t hash = 14695981039346656037ULL;  // FNV-1a over the lower-cased bytes
  for (const char c : name) {
    hash ^= fold(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

bool ObjectDef::FoldedEqual::operator()(std::string_view a, std::string_view b) const {
  return equals_folded(a, b);
}

const FieldDef* ObjectDef::find_field(std::string_view wanted_name) const {
  const auto it = index_.find(wanted_name);
  return it == index_.end() ? nullptr : &fields[it->second];
}

const FieldDef* ObjectDef::find_relationship(std::string_view relationship) const {
  const std::string wanted = lower(relationship);
  for (const auto& field : fields) {
    if (!field.relationship_name.empty() && lower(field.relationship_name) == wanted) return &field;
  }
  return nullptr;
}

void ObjectDef::add_field(FieldDef field) {
  if (const auto it = index_.find(field.name); it != index_.end()) {
    field.index = it->second;
    fields[it->second] = std::move(field);
    return;
  }
  field.index = fields.size();
  for (std::size_t which = 0; which < system_slots_.size(); ++which) {
    if (field.name == kSystemFieldNames[which]) system_slots_[which] = field.index;
  }
  for (std::size_t which = 0; which < name_slots_.size(); ++which) {
    if (field.name == kNameFieldNames[which]) name_slots_[which] = field.index;
  }
  index_.emplace(field.name, fields.size());
  fields.push_back(std::move(field));
}

const ObjectDef* Schema::find(std::string_view name) const {
  for (const auto& object : objects_) {
    if (equals_folded(object->name, name)) return object.get();
  }
  return nullptr;
}

const ObjectDef* Schema::find_by_prefix(std::string_view key_prefix) const {
  for (const auto& object : objects_) {
    if (object->key_prefix == key_prefix) return object.get();
  }
  return nullptr;
}

ObjectDef& Schema::add_object(ObjectDef object) {
  objects_.push_back(std::make_unique<ObjectDef>(std::move(object)));
  return *objects_.back();
}

}  // namespace sandbox::salesforce
