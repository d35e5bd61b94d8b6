#include "mappings/mapping_examples.hpp"

#include <memory>

#include "mappings/compiled_mapping.hpp"

namespace crmsync::mappings {
namespace {

// "LastName" in the primary record, "Account.Name" in a related one; references and match keys
// count, so an example can pin OwnerId's lookup value or a company key.
std::string actual_value(const MappedRow& row, const std::string& name) {
  const CrmRecord* record = row.primary();
  std::string field = name;
  if (const auto dot = name.find('.'); dot != std::string::npos) {
    record = nullptr;
    for (const auto& candidate : row.records)
      if (candidate.object == name.substr(0, dot)) record = &candidate;
    field = name.substr(dot + 1);
  }
  if (record == nullptr) return {};
  if (const auto* value = record->field(field)) return value->value;
  for (const auto& key : record->match_keys)
    if (key.name == field) return key.value;
  for (const auto& reference : record->references)
    if (reference.field == field) return reference.value;
  return {};
}

}  // namespace

bool run_examples(const Mapping& mapping, Diagnostics& diags) {
  bool all_pass = true;
  for (std::size_t n = 0; n < mapping.examples.size(); ++n) {
    const auto& example = mapping.examples[n];
    auto header = std::make_shared<Header>();
    Record record;
    record.from = {.source = "example",
                   .owner = "rep@example.com",
                   .item = "example",
                   .sheet = {},
                   .row = static_cast<std::uint32_t>(n + 2),
                   .modified = {}};
    for (const auto& [column, value] : example.input) {
      header->columns.push_back(column);
      record.cells.push_back({value.empty() ? CellKind::empty : CellKind::text, value, 0});
    }
    header->row = 1;
    record.header = header;
    CompiledMapping compiled(mapping, *header);
    MappedRow row;
    compiled.map(record, row);
    const std::string label = "example " + std::to_string(n + 1) + ": ";
    auto fail = [&](std::string message, std::string help = {}) {
      diags.error(example.where, label + std::move(message), std::move(help));
      all_pass = false;
    };
    if (!example.reject.empty()) {
      if (row.outcome != MappedRow::Outcome::rejected)
        fail("expected the row to be rejected (" + example.reject + "), but it was "
             + (row.outcome == MappedRow::Outcome::skipped ? "skipped" : "mapped"));
      else if (row.rejection->reason.find(example.reject) == std::string::npos)
        fail("rejected with '" + row.rejection->reason + "', expected a reason containing '"
             + example.reject + "'");
      continue;
    }
    if (row.outcome == MappedRow::Outcome::rejected) {
      fail("the row was rejected: " + row.rejection->reason);
      continue;
    }
    if (row.outcome == MappedRow::Outcome::skipped) {
      fail("the row was skipped: " + row.skip_reason);
      continue;
    }
    for (const auto& [field, expected] : example.expect) {
      const auto actual = actual_value(row, field);
      if (actual != expected)
        fail(field + " is '" + actual + "', expected '" + expected + "'",
             "fix the mapping, or the example if the mapping is right");
    }
  }
  return all_pass;
}

}  // namespace crmsync::mappings
