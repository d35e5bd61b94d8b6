#include "mappings/template_text.hpp"

#include <cstdint>

namespace crmsync::mappings {

std::optional<std::vector<TemplatePart>> parse_template(std::string_view text, std::string& error) {
  std::vector<TemplatePart> parts;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find("{{", at);
    if (open == std::string_view::npos) {
      parts.push_back({false, std::string(text.substr(at))});
      break;
    }
    if (open > at) parts.push_back({false, std::string(text.substr(at, open - at))});
    const auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      error = "unclosed '{{' in template \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    auto name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ')
      name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ')
      name.remove_suffix(1);
    if (name.empty()) {
      error = "empty placeholder '{{}}' in template \"" + std::string(text) + "\"";
      return std::nullopt;
    }
    parts.push_back({true, std::string(name)});
    at = close + 2;
  }
  return parts;
}

Builtin builtin_placeholder(std::string_view name) {
  if (name == "rep") return Builtin::rep;
  if (name == "file") return Builtin::file;
  if (name == "sheet") return Builtin::sheet;
  if (name == "row") return Builtin::row;
  if (name == "source") return Builtin::source;
  return Builtin::none;
}

}  // namespace crmsync::mappings
