// mappings/mapping.hpp — a mapping file as loaded and validated: which CRM objects one source row
// feeds, where each field's value comes from, how it is cleaned, how rows are matched to CRM
// records, and which side wins a conflict. Immutable after loading and shared by every file it
// maps; compile it against a file's header (compiled_mapping.hpp) to run rows through it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"
#include "mappings/transforms/transform.hpp"

namespace crmsync::mappings {

// Per field, what happens when the source and the CRM disagree (decided by daemon/reconcile).
enum class ConflictPolicy : std::uint8_t {
  fill_empty,   // write only where the CRM value is empty (the default: never clobber good data)
  source_wins,  // the rep's value replaces the CRM's
  crm_wins,     // never change a CRM value once set (like fill_empty, but also no clearing)
  newest_wins,  // the more recently modified side wins
  append,       // add the source text to the CRM's (notes, descriptions)
  never,        // never written by crmsync: match-only or read-only
};

std::string_view to_string(ConflictPolicy policy) noexcept;

// One step of a field's transform chain, its arguments checked against the declaration.
struct TransformUse {
  const TransformDecl* decl = nullptr;
  TransformArgs args;
  SourceLocation where;
};

// A reference to another record, resolved by the reconcile engine against the CRM index:
// `AccountId: { lookup: { object: Account, by: Name, from: Company, create: true } }`.
struct LookupSpec {
  std::string object;
  std::string by;                 // the field of `object` compared with the value
  std::vector<std::string> from;  // source column aliases for the value...
  std::string value;              // ...or a template ("{{rep}}")
  bool create = false;            // create the record when none matches
};

struct FieldSpec {
  std::string name;  // the CRM field's API name
  SourceLocation where;
  std::vector<std::string> from;  // column aliases, first present wins
  std::string constant;           // `const:`
  std::string template_text;      // `template:`
  bool is_lookup = false;
  LookupSpec lookup;
  std::vector<TransformUse> transforms;
  bool required = false;
  std::string default_value;
  bool match_only = false;  // a matching key, never written to the CRM
  ConflictPolicy policy = ConflictPolicy::fill_empty;
  // Used instead of `from`+`transform` when the file has none of the `from` columns: a file with
  // "First Name" reads it; one with only "Name" splits it. Chosen once per file, at compile time.
  std::shared_ptr<const FieldSpec> fallback;
};

struct MatchRule {
  enum class Kind : std::uint8_t { exact, fuzzy };
  Kind kind = Kind::exact;
  std::vector<std::string> fields;    // "Email", or "Account.Name" for a related object's field
  double threshold = 0.9;             // fuzzy only, 0..1
  std::vector<SourceLocation> where;  // of each name in `fields`, for later checks
};

// One CRM object a row feeds.
struct ObjectMapping {
  std::string object;            // the CRM object's API name (Contact, Account)
  std::vector<std::string> key;  // fields whose values identify the row across edits of the file
  std::string external_id;       // a field the CRM holds as an External ID: creates upsert on it
  std::vector<MatchRule> match;
  std::vector<FieldSpec> fields;  // in file order
  ConflictPolicy default_policy = ConflictPolicy::fill_empty;
};

// Rows that are not records: totals, notes, section titles. Skipped rows are reported as
// skipped with the reason, never silently dropped; blank rows are not reported at all.
struct SkipRule {
  std::vector<std::string> column;  // aliases
  std::string matches;              // RE2 pattern on the cell text
};

struct RowFilter {
  bool skip_blank = true;
  std::vector<SkipRule> skip_if;
};

// An example a mapping carries: input cells by column name, and either the expected fields of
// the primary object or the expected rejection reason (a substring).
struct MappingExample {
  SourceLocation where;
  std::vector<std::pair<std::string, std::string>> input;
  std::vector<std::pair<std::string, std::string>> expect;  // "Field" or "Account.Name"
  std::string reject;
};

struct Mapping {
  std::string name;  // the file's stem: what crmsync.yaml's `use:` names
  std::string file;
  std::string fingerprint;  // of the file's text: files read with another version are read again
  std::string description;
  std::string sheet;  // worksheet to read; empty = the one whose header fits best
  // Region for `phone` transforms that name none (upper-case ISO 3166); a rep's own region, when
  // their settings give one, wins over it (CompileOptions).
  std::string phone_region;
  ObjectMapping primary;
  std::vector<ObjectMapping> related;  // written before the primary object (an Account first)
  RowFilter filter;
  std::vector<MappingExample> examples;
};

// Normalised column aliases the mapping reads, for the readers' header detection.
std::vector<std::string> header_hint(const Mapping& mapping);

}  // namespace crmsync::mappings
