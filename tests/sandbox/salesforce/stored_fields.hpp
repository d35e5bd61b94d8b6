// The stored form of a record's values (the `fields` column of the sandbox's SQLite state): every
// non-null value with its field's name, so a state dir survives a schema file that adds or
// reorders fields. Encoded once per written record, so the format is length-prefixed binary that
// is appended with memcpy, not JSON that has to be escaped byte by byte:
//   per value: u8 name length, name, tag, payload
//   tags: 'T' / 'F' (booleans, no payload), 'D' + 8-byte double, 'S' + u32 length + bytes
// Integers are in the machine's byte order: a state dir does not move between machines.
// Rows written before this format hold a JSON object of name -> value (TEXT, not BLOB); they
// still load.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "salesforce/values.hpp"

namespace sandbox::salesforce {

// Each field's name prefix (length byte + name) for one object, built once per object.
std::vector<std::string> stored_field_keys(const ObjectDef& object);

// Appends the record's non-null values; `keys` comes from stored_field_keys(*record.object).
void append_stored_fields(const Record& record, const std::vector<std::string>& keys,
                          std::string& out);

// Fills the slots of `record` (already Record::of its object) from a stored form; values of
// fields the object no longer has are skipped. False when the bytes are not a stored form.
bool read_stored_fields(std::string_view bytes, Record& record);
// The same for a row written as JSON text by an older sandbox.
bool read_legacy_json_fields(std::string_view text, Record& record);

}  // namespace sandbox::salesforce
