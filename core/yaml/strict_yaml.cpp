#include "core/yaml/strict_yaml.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/text/utf8.hpp"

namespace crmsync {
namespace {

constexpr const char* kSyntaxHelp =
    "a bracket, brace or quote may be unclosed here or on a line above";

struct Abort {
  YAML::Mark mark;
  std::string message;
  std::string help;
};

// Walks the parser's events before any tree is built, to refuse alias bombs and deep nesting
// while they are still cheap: it counts the nodes the document would have with every alias
// expanded, which is what a later walk of the tree would visit.
class BombDetector final : public YAML::EventHandler {
 public:
  explicit BombDetector(const YamlLimits& limits) : limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // yaml-cpp links an alias inside its own anchor's node into a cycle, which every later walk
    // of the tree would follow for ever.
    for (const auto& frame : open_)
      if (frame.anchor == anchor)
        throw Abort{mark, "an alias refers to the node that contains it (a cycle)",
                    "an alias (*name) can only repeat a node that is already complete"};
    const auto found = anchor_sizes_.find(anchor);
    grow(mark, found == anchor_sizes_.end() ? 1 : found->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  void grow(const YAML::Mark& mark, std::size_t count) {
    expanded_ += count;
    if (expanded_ > limits_.max_expanded_nodes) {
      throw Abort{mark,
                  "expanding the aliases here would create more than "
                      + std::to_string(limits_.max_expanded_nodes) + " nodes (an alias bomb?)",
                  "use fewer nested aliases (*name), or write the values out"};
    }
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    grow(mark, 1);
    if (anchor != YAML::NullAnchor) anchor_sizes_[anchor] = 1;
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    grow(mark, 1);
    if (static_cast<int>(open_.size()) >= limits_.max_depth) {
      throw Abort{mark, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
                  "crmsync files are a few levels deep; check the indentation"};
    }
    open_.push_back({anchor, expanded_ - 1});
  }
  void close() {
    const auto frame = open_.back();
    open_.pop_back();
    if (frame.anchor != YAML::NullAnchor) anchor_sizes_[frame.anchor] = expanded_ - frame.start;
  }

  struct Frame {
    YAML::anchor_t anchor;
    std::size_t start;
  };
  const YamlLimits& limits_;
  std::size_t expanded_ = 0;
  std::vector<Frame> open_;
  std::map<YAML::anchor_t, std::size_t> anchor_sizes_;
};

SourceLocation location_at(const std::string& file, const YAML::Mark& mark, int length = 1) {
  SourceLocation where{file, 0, 0, length};
  if (mark.line >= 0) where.line = mark.line + 1;
  if (mark.column >= 0) where.column = mark.column + 1;
  return where;
}

// 1-based line and column of byte `offset`.
SourceLocation location_of_offset(const std::string& file, std::string_view text,
                                  std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {file, line, static_cast<int>(offset - line_start) + 1, 1};
}

bool check_encoding(const std::string& file, std::string& text, Diagnostics& diags) {
  if (text.size() >= 2
      && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    diags.error({file, 0, 0, 1}, "the file is UTF-16; crmsync reads YAML as UTF-8",
                "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)");
    return false;
  }
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a BOM is harmless; drop it
  if (const auto bad = first_invalid_utf8(text)) {
    auto where = location_of_offset(file, text, *bad);
    // Show the line with the bad byte as '?', so the caret has something to point at.
    std::string shown = text;
    shown[*bad] = '?';
    diags.add_source(file, std::move(shown));
    diags.error(where,
                "invalid UTF-8 (byte 0x"
                    + fmt::format("{:02X}", static_cast<unsigned char>(text[*bad])) + ")",
                "save the file as UTF-8");
    return false;
  }
  return true;
}

// YAML forbids tabs in indentation; yaml-cpp's own message for them is cryptic.
bool check_tabs(const std::string& file, std::string_view text, Diagnostics& diags) {
  bool clean = true;
  std::size_t line_start = 0;
  int line = 1;
  int reported = 0;
  while (line_start <= text.size() && reported < 20) {
    auto end = text.find('\n', line_start);
    if (end == std::string_view::npos) end = text.size();
    for (std::size_t i = line_start; i < end; ++i) {
      if (text[i] == ' ') continue;
      if (text[i] == '\t') {
        diags.error({file, line, static_cast<int>(i - line_start) + 1, 1},
                    "tab character in indentation", "YAML indents with spaces only");
        clean = false;
        ++reported;
      }
      break;
    }
    if (end == text.size()) break;
    line_start = end + 1;
    ++line;
  }
  return clean;
}

// The walk sees aliased maps once per alias; the bomb detector has already bounded that total,
// and `reported` keeps a duplicate inside an aliased map from being reported twice.
void check_duplicate_keys(const YAML::Node& node, const std::string& file, Diagnostics& diags,
                          std::set<std::pair<int, int>>& reported) {
  if (node.IsMap()) {
    std::map<std::string, YAML::Mark> keys;
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      if (key.IsScalar()) {
        const auto [first, inserted] = keys.emplace(key.Scalar(), key.Mark());
        if (!inserted && reported.emplace(key.Mark().line, key.Mark().column).second) {
          diags.error(location_of(key, file),
                      "duplicate key '" + key.Scalar() + "' (first defined on line "
                          + std::to_string(first->second.line + 1) + ")",
                      "YAML keeps only one of them; remove or rename one");
        }
      }
      check_duplicate_keys(pair.second, file, diags, reported);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      check_duplicate_keys(item, file, diags, reported);
  }
}

}  // namespace

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
  // A missing key's node (map["absent"]) has no position; yaml-cpp throws if asked for one.
  if (!node.IsDefined()) return {file, 0, 0, 1};
  int length = 1;
  if (node.IsScalar()) length = std::max<int>(1, static_cast<int>(node.Scalar().size()));
  return location_at(file, node.Mark(), length);
}

std::optional<YAML::Node> load_strict_yaml(const std::string& file, std::string text,
                                           Diagnostics& diags, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    diags.error({file, 0, 0, 1},
                "the file is " + std::to_string(text.size()) + " bytes; the limit is "
                    + std::to_string(limits.max_bytes),
                "is this the right file?");
    return std::nullopt;
  }
  if (!check_encoding(file, text, diags)) return std::nullopt;
  diags.add_source(file, text);
  if (!check_tabs(file, text, diags)) return std::nullopt;

  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    BombDetector detector(limits);
    int documents = 0;
    while (parser.HandleNextDocument(detector)) {
      if (++documents > 1) {
        diags.error({file, 0, 0, 1}, "more than one YAML document ('---') in one file",
                    "keep one document per file");
        return std::nullopt;
      }
    }
  } catch (const Abort& abort) {
    diags.error(location_at(file, abort.mark), abort.message, abort.help);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.error(location_at(file, e.mark), "YAML syntax: " + e.msg, kSyntaxHelp);
    return std::nullopt;
  }

  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    diags.error(location_at(file, e.mark), "YAML syntax: " + e.msg, kSyntaxHelp);
    return std::nullopt;
  }
  const auto before = diags.error_count();
  std::set<std::pair<int, int>> reported;
  check_duplicate_keys(root, file, diags, reported);
  if (diags.error_count() != before) return std::nullopt;
  return root;
}

std::optional<std::string> read_yaml_file(const std::filesystem::path& path, Diagnostics& diags,
                                          const YamlLimits& limits) {
  const std::string file = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    diags.error({file, 0, 0, 1},
                std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error({file, 0, 0, 1}, "cannot be read (permission denied?)");
    return std::nullopt;
  }
  // Read at most one byte past the limit, so a huge file is refused without reading it whole.
  std::string text(limits.max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limits.max_bytes) {
    diags.error(
        {file, 0, 0, 1},
        "the file is larger than the limit of " + std::to_string(limits.max_bytes) + " bytes",
        "is this the right file?");
    return std::nullopt;
  }
  return text;
}

std::optional<YAML::Node> load_strict_yaml_file(const std::filesystem::path& path,
                                                Diagnostics& diags, const YamlLimits& limits) {
  auto text = read_yaml_file(path, diags, limits);
  if (!text) return std::nullopt;
  return load_strict_yaml(path.string(), std::move(*text), diags, limits);
}

}  // namespace crmsync
