// mappings/template_text.hpp — "{{First}} {{Last}}" and "{{rep}}": text with placeholders naming
// source columns or the row's provenance. Parsed when the mapping loads, resolved to column
// indexes when it compiles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crmsync::mappings {

struct TemplatePart {
  bool placeholder = false;
  std::string text;  // literal text, or the placeholder's name (trimmed)
};

// The parts, or nullopt with `error` set ("unclosed '{{'", "empty placeholder").
std::optional<std::vector<TemplatePart>> parse_template(std::string_view text, std::string& error);

// Placeholders that name the row's provenance instead of a column; they win over a column of the
// same name.
enum class Builtin : std::uint8_t { none, rep, file, sheet, row, source };
Builtin builtin_placeholder(std::string_view name);

}  // namespace crmsync::mappings
