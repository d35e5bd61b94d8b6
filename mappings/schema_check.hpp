// mappings/schema_check.hpp — `crmsync validate --online`: a mapping checked against what the CRM
// says its objects are (describe()). The description is connector-neutral so this code never
// includes a connector header; each Crm connector fills it from its own describe call and
// translates names first when its vocabulary differs (see docs/mapping-reference.md, Presets).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

enum class CrmFieldType : std::uint8_t {
  text,
  email,
  phone,
  url,
  date,
  datetime,
  boolean,
  number,
  picklist,
  reference,
  textarea,
  other
};

struct CrmFieldDescription {
  std::string name;
  CrmFieldType type = CrmFieldType::text;
  std::uint32_t length = 0;  // maximum characters; 0 = no limit known
  bool createable = true;
  bool updateable = true;
  bool required = false;                     // must be set on create (not nillable, no default)
  bool upsert_key = false;                   // an External ID (or lookup) field upserts can use
  std::vector<std::string> picklist_values;  // active values, for picklists
  std::vector<std::string> reference_to;     // objects a reference field points to
};

struct CrmObjectDescription {
  std::string name;
  std::vector<CrmFieldDescription> fields;
};

// Reports, at each field's position in the mapping file: objects and fields the CRM does not
// have (with did-you-mean), fields crmsync would write but may not, required CRM fields the
// mapping never sets, lookups into the wrong object, transforms whose output cannot fit the
// field's type, and constants or picklist values the CRM would refuse.
void check_against_schema(const Mapping& mapping, const std::vector<CrmObjectDescription>& crm,
                          Diagnostics& diags);

}  // namespace crmsync::mappings
