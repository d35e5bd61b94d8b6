// mappings/transforms/collapse_spaces.cpp — runs of white space become one space; ends trimmed.
#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class CollapseSpaces final : public Transform {
 public:
  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    // Most values ("Project Engineer") are already collapsed: the part before the first byte that
    // may need rewriting (a tab or line break, a second space, a possible NBSP) stays as it is.
    std::size_t i = 0;
    for (; i < value.size(); ++i) {
      const auto byte = static_cast<unsigned char>(value[i]);
      if (byte > ' ' && byte != 0xC2) continue;
      if (byte == ' ' && i + 1 < value.size()) {
        const auto next = static_cast<unsigned char>(value[i + 1]);
        if (next > ' ' && next != 0xC2) continue;
      }
      if (byte == ' ' || byte == '\t' || byte == '\n' || byte == '\r' || byte == 0xC2) break;
    }
    if (i == value.size()) return {};
    // In place: the result is never longer than the input.
    std::size_t out = i;
    bool in_space = i > 0 && value[i - 1] == ' ';
    for (; i < value.size(); ++i) {
      const char c = value[i];
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                         // U+00A0 NO-BREAK SPACE, as Excel and Outlook write it
                         (c == '\xC2' && i + 1 < value.size() && value[i + 1] == '\xA0');
      if (space) {
        if (c == '\xC2') ++i;
        if (!in_space) value[out++] = ' ';
        in_space = true;
      } else {
        value[out++] = c;
        in_space = false;
      }
    }
    value.resize(out);
    return {};
  }
};
}  // namespace

TransformDecl collapse_spaces_transform() {
  return {.name = "collapse_spaces",
          .doc = "turns every run of spaces, tabs and line breaks into one space, and trims",
          .params = {},
          .make = [](const TransformArgs&) -> TransformResult {
            return std::make_unique<CollapseSpaces>();
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
