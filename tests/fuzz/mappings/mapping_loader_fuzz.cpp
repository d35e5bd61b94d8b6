// Fuzzes the mapping loader: strict YAML checks, every spec parser, transform chains, templates,
// and the compile + map of whatever loads (examples included), so a hostile or broken mapping file
// can only ever produce diagnostics. The corpus holds the presets and the golden broken mappings.
#include <cstddef>
#include <cstdint>
#include <string>

#include "mappings/compiled_mapping.hpp"
#include "mappings/mapping_examples.hpp"
#include "mappings/mapping_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  crmsync::Diagnostics diags;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto mapping = crmsync::mappings::load_mapping_text("fuzz.yaml", std::move(text), diags);
  if (mapping) {
    crmsync::mappings::run_examples(*mapping, diags);
    // A header naming every alias the mapping reads, and one row of odd cells through it.
    crmsync::Header header;
    header.columns = crmsync::mappings::header_hint(*mapping);
    crmsync::mappings::CompiledMapping compiled(*mapping, header);
    crmsync::Record record;
    for (std::size_t i = 0; i < header.columns.size(); ++i)
      record.cells.push_back(
          {crmsync::CellKind::text, i % 2 ? " 4.15555E+09 " : "O'BRIEN, Jr.", 0});
    crmsync::mappings::MappedRow row;
    compiled.map(record, row);
  }
  (void)diags.render();
  return 0;
}
