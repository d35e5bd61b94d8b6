#include "salesforce/stored_fields.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace sandbox::salesforce {
namespace {

template <typename T>
char* put_raw(char* out, T value) {
  std::memcpy(out, &value, sizeof(T));
  return out + sizeof(T);
}

char* put_bytes(char* out, std::string_view bytes) {
  std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

template <typename T>
bool read_raw(std::string_view& bytes, T& value) {
  if (bytes.size() < sizeof(T)) return false;
  std::memcpy(&value, bytes.data(), sizeof(T));
  bytes.remove_prefix(sizeof(T));
  return true;
}

// The slot of the field with this name, or nullptr when the object no longer has it.
Value* slot_named(Record& record, std::string_view name) {
  const FieldDef* field = record.object->find_field(name);
  return field != nullptr ? &record.slot(*field) : nullptr;
}

}  // namespace

std::vector<std::string> stored_field_keys(const ObjectDef& object) {
  std::vector<std::string> keys;
  keys.reserve(object.fields.size());
  for (const auto& field : object.fields) {
    // Salesforce API names are at most 40 characters (43 with __c); a schema file is checked
    // against nothing that long, so this guards the one-byte length.
    if (field.name.size() > 255)
      throw std::invalid_argument("field name longer than 255 bytes: " + field.name);
    std::string key(1, static_cast<char>(field.name.size()));
    keys.push_back(key + field.name);
  }
  return keys;
}

void append_stored_fields(const Record& record, const std::vector<std::string>& keys,
                          std::string& out) {
  // Sized first and written through a pointer: one capacity check per record, not per value.
  const std::size_t count = std::min(record.values.size(), keys.size());
  std::size_t size = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const Value& value = record.values[i];
    if (is_null(value)) continue;
    const auto* text = std::get_if<std::string>(&value);
    size += keys[i].size() + 1
            + (text != nullptr                         ? sizeof(std::uint32_t) + text->size()
               : std::holds_alternative<double>(value) ? sizeof(double)
                                                       : 0);
  }
  const std::size_t start = out.size();
  out.resize(start + size);
  char* cursor = out.data() + start;
  for (std::size_t i = 0; i < count; ++i) {
    const Value& value = record.values[i];
    if (is_null(value)) continue;
    cursor = put_bytes(cursor, keys[i]);
    if (const auto* text = std::get_if<std::string>(&value)) {
      *cursor++ = 'S';
      cursor = put_raw(cursor, static_cast<std::uint32_t>(text->size()));
      cursor = put_bytes(cursor, *text);
    } else if (const auto* number = std::get_if<double>(&value)) {
      *cursor++ = 'D';
      cursor = put_raw(cursor, *number);
    } else {
      *cursor++ = std::get<bool>(value) ? 'T' : 'F';
    }
  }
}

bool read_stored_fields(std::string_view bytes, Record& record) {
  while (!bytes.empty()) {
    const auto name_size = static_cast<unsigned char>(bytes.front());
    if (bytes.size() < 2U + name_size) return false;
    const std::string_view name = bytes.substr(1, name_size);
    const char tag = bytes[1U + name_size];
    bytes.remove_prefix(2U + name_size);
    Value value;
    if (tag == 'T' || tag == 'F') {
      value = tag == 'T';
    } else if (tag == 'D') {
      double number = 0;
      if (!read_raw(bytes, number)) return false;
      value = number;
    } else if (tag == 'S') {
      std::uint32_t size = 0;
      if (!read_raw(bytes, size) || bytes.size() < size) return false;
      value = std::string(bytes.substr(0, size));
      bytes.remove_prefix(size);
    } else {
      return false;
    }
    if (Value* slot = slot_named(record, name)) *slot = std::move(value);
  }
  return true;
}

bool read_legacy_json_fields(std::string_view text, Record& record) {
  simdjson::dom::parser parser;
  simdjson::dom::object fields;
  if (parser.parse(simdjson::padded_string(text)).get_object().get(fields) != simdjson::SUCCESS)
    return false;
  for (auto [key, element] : fields) {
    Value* slot = slot_named(record, key);
    if (slot == nullptr) continue;
    if (element.is_bool()) {
      *slot = bool(element.get_bool().value());
    } else if (element.is_number()) {
      *slot = double(element.get_double().value());
    } else if (element.is_string()) {
      *slot = std::string(element.get_string().value());
    }
  }
  return true;
}

}  // namespace sandbox::salesforce
