#include "mappings/reference_doc.hpp"

#include <fmt/format.h>

#include "mappings/mapping_spec.hpp"
#include "mappings/transforms/registry.hpp"

namespace crmsync::mappings {
namespace {

// The decisions behind the language, kept beside the generator so the page is one artefact.
constexpr std::string_view kGuide = R"(
## How a mapping works

A mapping file in /etc/crmsync/mappings/ (the presets ship in config/mappings/) says what one row
of a source becomes in the CRM. `crmsync.yaml` names it by its file name without `.yaml`
(`use: rep-contacts`). `crmsync validate` loads every mapping, reports every problem of every file
at file:line:column, and runs each mapping's `examples:`.

A row is mapped in this order: the `filter` may skip it (blank rows silently, `skip_if` rows with
a reason); each field takes its value from its source (`from`, `const`, `template` or `lookup`),
then runs its `transform` chain; an empty value takes the field's `default`; an empty `required`
field, or a transform that rejects the row (an invalid email by default), rejects the whole row
with the row number, column, value and reason; a transform that rejects only its value (an
unparseable phone by default) leaves the field empty and the row goes on, with the dropped value
listed in the rep's report.

Column names are compared ignoring case, spaces and punctuation ("E-mail Address", "email address"
and "EMAIL_ADDRESS" are the same column); accents count. The first alias present in the file's
header wins. A field's `fallback` is used instead when the file has none of the `from` columns:
that is how one preset reads "First Name" from one rep's file and splits "Name" in another's. The
choice is made once per file, when the mapping is compiled against the header.

### One row, several objects

The top level of a mapping describes the primary object (`object`, `key`, `match`, `fields`,
`conflicts`). `related:` lists the other objects the same row feeds, each with the same keys; the
reconcile engine matches or creates them before the primary object. A field of the primary object
refers to them with a `lookup`:

```yaml
object: Contact
fields:
  AccountId: { lookup: { object: Account, by: Name, from: Company, create: true } }
  OwnerId:   { lookup: { object: User, by: Email, value: "{{rep}}" } }
related:
  - object: Account
    key: [Name]
    match: [{ exact: NameKey }]
    fields:
      Name:    { from: Company }
      NameKey: { from: Company, transform: [company_key], match_only: true }
```

A lookup yields a reference (object, `by` field, value, whether to create), never an id: ids are
resolved by the reconcile engine against the CRM index. `match` rules name fields of the object,
or `Object.Field` for a related object's field or a lookup's `by` field
(`{ fuzzy: [FirstName, LastName, Account.Name] }`). `match_only` fields (such as company keys) are
used for matching and never written.

### Conflicts

`conflicts` gives each field a policy for a CRM value that differs from the source's:
`fill_empty` (the default: only fill empty CRM fields), `source_wins`, `crm_wins`, `newest_wins`
(by modification time), `append` (notes) and `never` (the field is never written). `default` sets
the policy of every field not named.

### Presets: one vocabulary, translated by connectors

The presets are written once, in a connector-neutral vocabulary: Salesforce's standard object and
field names (Contact, Account, User; FirstName, LastName, Email, Phone, MobilePhone, Title,
AccountId, OwnerId, Mailing*). They are the best-known CRM vocabulary, and Salesforce is the first
sink. The Dynamics connector translates the neutral names to Dataverse logical names (Contact ->
contact, LastName -> lastname, Email -> emailaddress1, Phone -> telephone1, AccountId ->
parentcustomerid, OwnerId -> ownerid) before describe() and before writing; names it does not know
pass through unchanged, so an admin mapping custom fields writes the CRM's own names
(`new_region`, `Region__c`). Per-CRM presets were rejected: every preset and every admin's copy
would exist twice and drift, and validation could not stay offline. `validate --online` runs the
schema check after the connector's translation.

### Examples

```yaml
examples:
  - input: { "First Name": " LARS", "Last Name": Petrov, Telephone: "(963) 677-3698" }
    expect: { FirstName: Lars, Phone: "+19636773698" }   # Account.Name for a related object
  - input: { "Last Name": "" }
    reject: LastName is required                          # a substring of the reason
```
)";

std::string param_type(const ParamDecl& param) {
  switch (param.kind) {
    case ParamKind::string:
      return "string";
    case ParamKind::choice:
      return "choice";
    case ParamKind::boolean:
      return "boolean";
    case ParamKind::string_list:
      return "list of strings";
    case ParamKind::alias_map:
      return "map: value -> aliases";
  }
  return "string";
}

std::string render_transforms() {
  std::string out =
      "\n## Transforms\n\nA field's `transform:` list applies these in order: a name (`trim`), or "
      "a one-key map with parameters (`{ phone: { region: DE } }`). Empty values pass through "
      "every transform.\n";
  for (const auto& decl : transform_catalog()) {
    out += fmt::format("\n### `{}`\n\n{}.\n", decl.name, decl.doc);
    if (decl.match_only) out += "\nMatching only: the field must say `match_only: true`.\n";
    if (decl.params.empty()) continue;
    out += "\n| parameter | type | default | allowed | description |\n|---|---|---|---|---|\n";
    for (const auto& param : decl.params) {
      std::string allowed;
      for (const auto& value : param.allowed) {
        if (!allowed.empty()) allowed += ", ";
        allowed += fmt::format("`{}`", value);
      }
      const std::string fallback = param.required ? "*required*"
                                   : param.default_value.empty()
                                       ? ""
                                       : fmt::format("`{}`", param.default_value);
      out += fmt::format("| `{}` | {} | {} | {} | {} |\n", param.name, param_type(param), fallback,
                         allowed, param.doc);
    }
  }
  return out;
}

}  // namespace

std::string render_mapping_reference() {
  std::string out = settings::render_reference(mapping_spec(), "Mapping reference");
  // The guide goes after the generated notice and before the tables.
  const auto tables = out.find("\n## ");
  std::string guide(kGuide);
  if (tables == std::string::npos) return out + guide + render_transforms();
  return out.substr(0, tables) + guide + out.substr(tables) + render_transforms();
}

}  // namespace crmsync::mappings
