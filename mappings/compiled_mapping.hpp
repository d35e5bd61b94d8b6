// mappings/compiled_mapping.hpp — a mapping bound to one file's header: column aliases resolved
// to indexes and transform chains built, once per table. Rows then run through it without YAML
// lookups, name comparisons or per-cell allocations (MappedRow is reused between rows).
//
// Not thread-safe (transforms cache results): compile one per table and per thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/record.hpp"
#include "mappings/crm_record.hpp"
#include "mappings/mapping.hpp"
#include "mappings/template_text.hpp"
#include "mappings/transforms/phone.hpp"

namespace re2 {
class RE2;
}

namespace crmsync::mappings {

// Which column feeds which field, for `crmsync preview` and the rep's report.
struct ColumnUse {
  std::uint32_t column = 0;         // 1-based
  std::string name;                 // as the header writes it
  std::vector<std::string> fields;  // "LastName", "Account.Name"; empty when ignored
};

struct MissingSource {
  std::string field;  // "LastName" or "Account.Name"
  std::vector<std::string> aliases;
  bool required = false;
};

// What the caller knows beyond the mapping and the header: the rep the file belongs to.
struct CompileOptions {
  // The rep's region for phone numbers, when their settings give one (already checked with
  // phone_region()): it wins over the mapping's `phone_region`, never over a `region` written on
  // the transform itself.
  std::string phone_region;
};

class CompiledMapping {
 public:
  // `mapping` must outlive the compiled mapping.
  CompiledMapping(const Mapping& mapping, const Header& header, CompileOptions options = {});
  ~CompiledMapping();
  CompiledMapping(CompiledMapping&&) noexcept;
  CompiledMapping& operator=(CompiledMapping&&) noexcept;

  // Maps one row into `out` (its buffers are reused: pass the same MappedRow for every row).
  void map(const Record& record, MappedRow& out);

  const Mapping& mapping() const { return *mapping_; }
  const std::vector<ColumnUse>& columns() const { return columns_; }
  // Fields whose aliases name no column of this header.
  const std::vector<MissingSource>& missing() const { return missing_; }
  PhoneCacheStats phone_cache_stats() const;

 private:
  struct Piece {
    std::string literal;
    int column = -1;
    Builtin builtin = Builtin::none;
  };
  struct Field {
    const FieldSpec* spec = nullptr;
    int column = -1;            // for `from` and lookup `from`
    std::vector<Piece> pieces;  // for template, constant and lookup `value`
    bool uses_pieces = false;
    std::vector<std::unique_ptr<Transform>> chain;
    std::string missing_reason;          // set at compile time when no column feeds a `from` field
    std::vector<std::size_t> key_slots;  // its positions in the object's `key:`
  };
  struct Object {
    const ObjectMapping* spec = nullptr;
    std::vector<Field> fields;
    std::vector<std::size_t> key_fields;  // indexes into fields
    std::string prefix;                   // "Account." for related objects, "" for the primary
    // The most fields a row has written so far: a record reserves room for that many. Room for
    // every field of the mapping (9 in rep-contacts, of which reps' files fill about 5) left
    // some 290 bytes a row unused, 29 MB of a 100k-row file's records.
    std::size_t most_written = 1;
  };
  struct Skip {
    int column = -1;
    std::unique_ptr<re2::RE2> pattern;
  };

  Object compile_object(const ObjectMapping& object, const std::string& prefix);
  // `spec` gives the field's rules (required, default, policy); `source` where its value comes
  // from and its transforms: the spec itself, or its fallback.
  Field compile_field(const FieldSpec& spec, const FieldSpec& source, const std::string& label);
  std::vector<TransformUse> with_phone_region(const std::vector<TransformUse>& chain) const;
  int column_of(const std::vector<std::string>& aliases) const;
  std::vector<Piece> compile_pieces(const std::string& text) const;
  void value_of(const Field& field, const Record& record, std::string& out) const;
  // False when the row is rejected (out.rejection set).
  bool map_object(Object& object, const Record& record, CrmRecord& out_record, MappedRow& out);

  const Mapping* mapping_ = nullptr;
  std::string phone_region_;  // for `phone` transforms that name no region; empty: theirs
  std::vector<std::string> header_keys_;  // normalised header names
  std::vector<std::string> header_names_;
  std::vector<Object> objects_;   // related first, primary last
  std::size_t most_records_ = 1;  // the most records a row has emitted
  std::vector<Skip> skips_;
  std::vector<ColumnUse> columns_;
  std::vector<MissingSource> missing_;
  std::string scratch_;   // the value being transformed
  std::string original_;  // the value as the file has it, for rejections
};

}  // namespace crmsync::mappings
