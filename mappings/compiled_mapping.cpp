#include "mappings/compiled_mapping.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "mappings/transform_chain.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {

CompiledMapping::~CompiledMapping() = default;
CompiledMapping::CompiledMapping(CompiledMapping&&) noexcept = default;
CompiledMapping& CompiledMapping::operator=(CompiledMapping&&) noexcept = default;

CompiledMapping::CompiledMapping(const Mapping& mapping, const Header& header,
                                 CompileOptions options)
    : mapping_(&mapping),
      phone_region_(options.phone_region.empty() ? mapping.phone_region
                                                 : std::move(options.phone_region)),
      header_names_(header.columns) {
  for (const auto& name : header.columns)
    header_keys_.push_back(loose_key(name));
  for (std::size_t i = 0; i < header.columns.size(); ++i)
    columns_.push_back({static_cast<std::uint32_t>(i + 1), header.columns[i], {}});
  for (const auto& related : mapping.related)
    objects_.push_back(compile_object(related, related.object + "."));
  objects_.push_back(compile_object(mapping.primary, ""));
  for (const auto& rule : mapping.filter.skip_if) {
    Skip skip;
    skip.column = column_of(rule.column);
    skip.pattern = std::make_unique<re2::RE2>(rule.matches, re2::RE2::Quiet);
    skips_.push_back(std::move(skip));
  }
}

// The region reaches each `phone` transform that writes none; an explicit `region:` is kept.
std::vector<TransformUse> CompiledMapping::with_phone_region(
    const std::vector<TransformUse>& chain) const {
  std::vector<TransformUse> uses = chain;
  if (phone_region_.empty()) return uses;
  for (auto& use : uses)
    if (use.decl->name == "phone" && use.args.text("region").empty())
      use.args.set("region", ParamValue{.text = phone_region_, .list = {}, .aliases = {}});
  return uses;
}

int CompiledMapping::column_of(const std::vector<std::string>& aliases) const {
  for (const auto& alias : aliases) {
    const auto key = loose_key(alias);
    for (std::size_t i = 0; i < header_keys_.size(); ++i)
      if (header_keys_[i] == key && !key.empty()) return static_cast<int>(i);
  }
  return -1;
}

std::vector<CompiledMapping::Piece> CompiledMapping::compile_pieces(const std::string& text) const {
  std::string error;
  std::vector<Piece> pieces;
  // The loader checked the syntax; a template that does not parse here has no parts.
  for (const auto& part : parse_template(text, error).value_or(std::vector<TemplatePart>{})) {
    Piece piece;
    if (!part.placeholder) {
      piece.literal = part.text;
    } else {
      piece.builtin = builtin_placeholder(part.text);
      if (piece.builtin == Builtin::none) piece.column = column_of({part.text});
    }
    pieces.push_back(std::move(piece));
  }
  return pieces;
}

CompiledMapping::Field CompiledMapping::compile_field(const FieldSpec& spec,
                                                      const FieldSpec& source,
                                                      const std::string& label) {
  if (&spec == &source && spec.fallback && !spec.from.empty() && column_of(spec.from) < 0)
    return compile_field(spec, *spec.fallback, label);
  Field field;
  field.spec = &spec;
  field.chain = build_chain(with_phone_region(source.transforms));
  const std::vector<std::string>* aliases = nullptr;
  if (spec.is_lookup) {
    if (!spec.lookup.from.empty())
      aliases = &spec.lookup.from;
    else {
      field.uses_pieces = true;
      field.pieces = compile_pieces(spec.lookup.value);
    }
  } else if (!source.from.empty()) {
    aliases = &source.from;
  } else {
    field.uses_pieces = true;
    field.pieces = source.template_text.empty()
                       ? std::vector<Piece>{Piece{spec.constant, -1, Builtin::none}}
                       : compile_pieces(source.template_text);
  }
  auto note_column = [&](int column) {
    if (column >= 0) columns_[static_cast<std::size_t>(column)].fields.push_back(label);
  };
  if (aliases != nullptr) {
    field.column = column_of(*aliases);
    note_column(field.column);
    if (field.column < 0) {
      std::vector<std::string> looked_for = *aliases;
      if (spec.fallback && &source == spec.fallback.get())
        looked_for.insert(looked_for.begin(), spec.from.begin(), spec.from.end());
      std::string list;
      for (const auto& alias : looked_for)
        list += (list.empty() ? "'" : ", '") + alias + "'";
      field.missing_reason = " but the file has no column for it (looked for: " + list + ")";
      missing_.push_back({label, std::move(looked_for), spec.required});
    }
  }
  for (const auto& piece : field.pieces)
    note_column(piece.column);
  return field;
}

CompiledMapping::Object CompiledMapping::compile_object(const ObjectMapping& object,
                                                        const std::string& prefix) {
  Object compiled;
  compiled.spec = &object;
  compiled.prefix = prefix;
  for (const auto& spec : object.fields)
    compiled.fields.push_back(compile_field(spec, spec, prefix + spec.name));
  for (const auto& key : object.key)
    for (std::size_t i = 0; i < object.fields.size(); ++i)
      if (object.fields[i].name == key) {
        compiled.fields[i].key_slots.push_back(compiled.key_fields.size());
        compiled.key_fields.push_back(i);
      }
  return compiled;
}

namespace {
const Cell* cell_at(const Record& record, int column) {
  if (column < 0 || static_cast<std::size_t>(column) >= record.cells.size()) return nullptr;
  return &record.cells[static_cast<std::size_t>(column)];
}
}  // namespace

void CompiledMapping::value_of(const Field& field, const Record& record, std::string& out) const {
  out.clear();
  if (!field.uses_pieces) {
    if (const Cell* cell = cell_at(record, field.column); cell != nullptr && !cell->empty())
      out.assign(cell->text);
    return;
  }
  for (const auto& piece : field.pieces) {
    switch (piece.builtin) {
      case Builtin::rep:
        out += record.from.owner;
        break;
      case Builtin::file:
        out += record.from.item;
        break;
      case Builtin::sheet:
        out += record.from.sheet;
        break;
      case Builtin::source:
        out += record.from.source;
        break;
      case Builtin::row: {
        char digits[16];
        auto [end, error] = std::to_chars(digits, digits + sizeof digits, record.from.row);
        if (error == std::errc()) out.append(digits, end);
        break;
      }
      case Builtin::none:
        if (piece.column < 0)
          out += piece.literal;
        else if (const Cell* cell = cell_at(record, piece.column))
          out += cell->text;
        break;
    }
  }
  // "{{First}} {{Last}}" with no First gives " Last": the surrounding spaces are not data.
  trim_in_place(out);
}

bool CompiledMapping::map_object(Object& object, const Record& record, CrmRecord& out_record,
                                 MappedRow& out) {
  const std::string& prefix = object.prefix;
  out_record.object.assign(object.spec->object);
  out_record.external_id_field.assign(object.spec->external_id);
  std::size_t written = 0;
  std::size_t match_keys = 0;
  std::size_t references = 0;
  out_record.key.resize(object.key_fields.size());
  // A new record starts empty: room for as many fields as rows have had, at once.
  out_record.fields.reserve(object.most_written);
  for (auto& key : out_record.key)
    key.clear();
  for (std::size_t index = 0; index < object.fields.size(); ++index) {
    const Field& field = object.fields[index];
    const FieldSpec& spec = *field.spec;
    value_of(field, record, scratch_);
    // The value as the file has it is only needed for a rejection: it is read again then rather
    // than copied aside for every field of every row.
    const std::string& original = original_;
    bool dropped = false;
    for (const auto& transform : field.chain) {
      if (scratch_.empty()) break;
      auto outcome = transform->apply(scratch_);
      if (outcome.ok()) continue;
      value_of(field, record, original_);
      Rejection rejection{
          .column = field.column >= 0 ? static_cast<std::uint32_t>(field.column + 1) : 0,
          .column_name =
              field.column >= 0 ? header_names_[static_cast<std::size_t>(field.column)] : "",
          .value = original,
          .field = prefix + spec.name,
          .reason = std::move(outcome.reason)};
      if (outcome.verdict == Verdict::reject_row) {
        out.outcome = MappedRow::Outcome::rejected;
        out.rejection = std::move(rejection);
        return false;
      }
      out.dropped_values.push_back(std::move(rejection));
      scratch_.clear();
      dropped = true;
      break;
    }
    if (scratch_.empty() && !spec.default_value.empty() && !dropped) scratch_ = spec.default_value;
    if (scratch_.empty() && spec.required) {
      out.outcome = MappedRow::Outcome::rejected;
      std::string reason = prefix + spec.name + " is required";
      if (dropped)
        reason += " and its value was unusable: " + out.dropped_values.back().reason;
      else if (field.column >= 0)
        reason +=
            " but column '" + header_names_[static_cast<std::size_t>(field.column)] + "' is empty";
      else if (!field.missing_reason.empty())
        reason += field.missing_reason;
      else
        reason += " but its value is empty";
      value_of(field, record, original_);
      out.rejection = Rejection{
          .column = field.column >= 0 ? static_cast<std::uint32_t>(field.column + 1) : 0,
          .column_name =
              field.column >= 0 ? header_names_[static_cast<std::size_t>(field.column)] : "",
          .value = original,
          .field = prefix + spec.name,
          .reason = std::move(reason)};
      return false;
    }
    for (const std::size_t slot : field.key_slots)
      out_record.key[slot] = scratch_;
    if (scratch_.empty()) continue;
    if (spec.is_lookup) {
      // Slots are reused row after row: assign() keeps their buffers.
      if (out_record.references.size() <= references) out_record.references.emplace_back();
      CrmReference& reference = out_record.references[references++];
      reference.field.assign(spec.name);
      reference.object.assign(spec.lookup.object);
      reference.by.assign(spec.lookup.by);
      reference.value.assign(scratch_);
      reference.create = spec.lookup.create;
      reference.policy = spec.policy;
      continue;
    }
    auto& target = spec.match_only ? out_record.match_keys : out_record.fields;
    std::size_t& used = spec.match_only ? match_keys : written;
    if (target.size() <= used) target.emplace_back();
    CrmField& slot = target[used++];
    slot.name.assign(spec.name);
    slot.value.assign(scratch_);
    slot.policy = spec.match_only ? ConflictPolicy::never : spec.policy;
  }
  out_record.fields.resize(written);
  object.most_written = std::max(object.most_written, written);
  out_record.match_keys.resize(match_keys);
  out_record.references.resize(references);
  return true;
}

void CompiledMapping::map(const Record& record, MappedRow& out) {
  out.outcome = MappedRow::Outcome::mapped;
  out.from = record.from;
  out.rejection.reset();
  out.dropped_values.clear();
  out.skip_reason.clear();
  if (mapping_->filter.skip_blank) {
    bool blank = true;
    for (std::size_t i = 0; i < record.cells.size() && blank; ++i) {
      const Cell& cell = record.cells[i];
      if (cell.kind == CellKind::empty) continue;
      for (const char c : cell.text)
        blank = blank && (c == ' ' || c == '\t');
    }
    if (blank) {
      out.outcome = MappedRow::Outcome::skipped;
      out.skip_reason = "blank row";
      out.records.clear();
      return;
    }
  }
  for (std::size_t i = 0; i < skips_.size(); ++i) {
    const Cell* cell = cell_at(record, skips_[i].column);
    if (cell != nullptr && re2::RE2::PartialMatch(cell->text, *skips_[i].pattern)) {
      out.outcome = MappedRow::Outcome::skipped;
      out.skip_reason = "column '" + header_names_[static_cast<std::size_t>(skips_[i].column)]
                        + "' matches filter /" + mapping_->filter.skip_if[i].matches + "/";
      out.records.clear();
      return;
    }
  }
  // Room for as many records as rows have emitted: a related object with nothing to write is
  // mapped into the slot the next object then takes (a row without a company is one record).
  out.records.reserve(most_records_);
  std::size_t emitted = 0;
  for (std::size_t i = 0; i < objects_.size(); ++i) {
    const bool primary = i + 1 == objects_.size();
    if (out.records.size() <= emitted) out.records.emplace_back();
    CrmRecord& slot = out.records[emitted];
    if (!map_object(objects_[i], record, slot, out)) {
      out.records.clear();
      return;
    }
    // A related object with nothing to write (no company on this row) is not emitted.
    if (primary || !slot.fields.empty()) ++emitted;
  }
  out.records.resize(emitted);
  most_records_ = std::max(most_records_, emitted);
}

PhoneCacheStats CompiledMapping::phone_cache_stats() const {
  PhoneCacheStats total;
  for (const auto& object : objects_)
    for (const auto& field : object.fields)
      for (const auto& transform : field.chain) {
        const auto stats = mappings::phone_cache_stats(*transform);
        total.plain += stats.plain;
        total.hits += stats.hits;
        total.misses += stats.misses;
      }
  return total;
}

const CrmField* CrmRecord::field(std::string_view name) const {
  for (const auto& candidate : fields)
    if (candidate.name == name) return &candidate;
  return nullptr;
}

}  // namespace crmsync::mappings
