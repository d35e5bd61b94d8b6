// mappings/transforms/split_name.cpp — one part of a full name held in a single column:
// "Dr. Maria van der Berg PhD", "Berg, Maria Anna", "John Smith, Jr.". Each field names the part
// it wants (FirstName: split_name {part: first}), so the transform stays one value in, one out.
#include <array>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

enum class Part : std::uint8_t { first, middle, last, prefix, suffix };

constexpr std::array<std::string_view, 11> kPrefixes = {"dr",   "mr",  "mrs", "ms",   "miss", "mx",
                                                        "prof", "sir", "rev", "dame", "herr"};
constexpr std::array<std::string_view, 14> kSuffixes = {
    "jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "esq", "cpa", "mba", "dds", "jd", "dvm"};
constexpr std::array<std::string_view, 10> kParticles = {"van", "von", "der", "den", "de",
                                                         "del", "da",  "di",  "du",  "la"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& words, std::string_view word) {
  const auto key = loose_key(word);
  for (auto candidate : words)
    if (key == candidate) return true;
  return false;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::string join(const std::vector<std::string>& words, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += " ";
    out += words[i];
  }
  return out;
}

struct NameParts {
  std::string prefix, first, middle, last, suffix;
};

NameParts split(std::string_view full) {
  NameParts parts;
  std::string text(full);
  std::vector<std::string> suffixes;
  // "Smith, Jr." and "Smith, PhD": a comma before suffixes only.
  std::string before_comma = text;
  std::string after_comma;
  if (const auto comma = text.find(','); comma != std::string::npos) {
    before_comma = text.substr(0, comma);
    after_comma = text.substr(comma + 1);
  }
  auto tail = words_of(after_comma);
  bool tail_is_suffixes = !tail.empty();
  for (const auto& word : tail)
    tail_is_suffixes = tail_is_suffixes && in(kSuffixes, word);
  std::vector<std::string> words;
  std::vector<std::string> given;  // from "Last, Given Names"
  if (tail_is_suffixes || after_comma.empty()) {
    words = words_of(before_comma);
    suffixes = tail;
  } else {
    // "Last, First Middle"
    words = words_of(before_comma);
    given = tail;
  }
  std::size_t begin = 0;
  std::vector<std::string> prefixes;
  auto& lead = given.empty() ? words : given;
  while (begin < lead.size() && lead.size() - begin > 1 && in(kPrefixes, lead[begin]))
    prefixes.push_back(lead[begin++]);
  lead.erase(lead.begin(), lead.begin() + static_cast<std::ptrdiff_t>(begin));
  // Suffixes written without a comma ("Robert Martin III"), counted from the end.
  std::size_t kept = words.size();
  while (kept > 1 && in(kSuffixes, words[kept - 1]))
    --kept;
  std::vector<std::string> trailing(words.begin() + static_cast<std::ptrdiff_t>(kept), words.end());
  words.resize(kept);
  trailing.insert(trailing.end(), suffixes.begin(), suffixes.end());
  suffixes = std::move(trailing);
  parts.prefix = join(prefixes, 0, prefixes.size());
  parts.suffix = join(suffixes, 0, suffixes.size());
  if (!given.empty()) {
    parts.last = join(words, 0, words.size());
    parts.first = given.front();
    parts.middle = join(given, 1, given.size());
    return parts;
  }
  if (words.empty()) return parts;
  if (words.size() == 1) {
    parts.last = words.front();
    return parts;
  }
  // The last name starts at the first particle after the first word ("Maria van der Berg").
  std::size_t last_begin = words.size() - 1;
  for (std::size_t i = 1; i + 1 < words.size(); ++i)
    if (in(kParticles, words[i])) {
      last_begin = i;
      break;
    }
  parts.first = words.front();
  parts.middle = join(words, 1, last_begin);
  parts.last = join(words, last_begin, words.size());
  return parts;
}

class SplitName final : public Transform {
 public:
  explicit SplitName(Part part) : part_(part) {}

  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    auto parts = split(value);
    switch (part_) {
      case Part::first:
        value = std::move(parts.first);
        break;
      case Part::middle:
        value = std::move(parts.middle);
        break;
      case Part::last:
        value = std::move(parts.last);
        break;
      case Part::prefix:
        value = std::move(parts.prefix);
        break;
      case Part::suffix:
        value = std::move(parts.suffix);
        break;
    }
    return {};
  }

 private:
  Part part_;
};
}  // namespace

TransformDecl split_name_transform() {
  return {.name = "split_name",
          .doc =
              "one part of a full name: 'First Last', 'Last, First', middle names, prefixes "
              "(Dr., Ms.) and suffixes (Jr., III, PhD)",
          .params = {{.name = "part",
                      .kind = ParamKind::choice,
                      .default_value = "",
                      .required = true,
                      .allowed = {"first", "middle", "last", "prefix", "suffix"},
                      .doc = "which part of the name this field takes"}},
          .make = [](const TransformArgs& args) -> TransformResult {
            const auto& part = args.text("part");
            const Part parsed = part == "first"    ? Part::first
                                : part == "middle" ? Part::middle
                                : part == "last"   ? Part::last
                                : part == "prefix" ? Part::prefix
                                                   : Part::suffix;
            return std::make_unique<SplitName>(parsed);
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
