// mappings/transforms/title_case.cpp — names as people write them: "JOHN MCDONALD" -> "John
// McDonald", "o'brien" -> "O'Brien", "siobhan van der berg" -> "Siobhan van der Berg",
// "jones-herrera" -> "Jones-Herrera". ICU's own toTitle() gives "Mcdonald" and "O'brien", so the
// word rules are ours; ICU still does the per-letter case mapping (accents, ß, Greek...).
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

// Name particles written in lower case inside a name (but capitalised when they start it).
constexpr std::array<std::u16string_view, 17> kParticles = {
    u"van", u"von", u"der", u"den", u"de",  u"del", u"della", u"di", u"da",
    u"du",  u"la",  u"le",  u"ten", u"ter", u"dos", u"das",   u"y"};

bool is_particle(const icu::UnicodeString& word) {
  const std::u16string_view view(word.getBuffer(), static_cast<std::size_t>(word.length()));
  for (auto particle : kParticles)
    if (view == particle) return true;
  return false;
}

// True when every cased letter has the same case: "JOHN SMITH" or "john smith", not "DeWitt".
bool uniform_case(const icu::UnicodeString& text) {
  bool upper = false;
  bool lower = false;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 cp = text.char32At(i);
    upper = upper || u_isupper(cp);
    lower = lower || u_islower(cp);
  }
  return !(upper && lower);
}

icu::UnicodeString title_word(const icu::UnicodeString& lowered) {
  icu::UnicodeString out;
  bool at_start = true;
  int32_t letters_in_part = 0;  // letters since the last separator
  icu::UnicodeString part;
  for (int32_t i = 0; i < lowered.length(); i = lowered.moveIndex32(i, 1)) {
    const UChar32 cp = lowered.char32At(i);
    if (u_isalpha(cp)) {
      out.append(at_start ? u_toupper(cp) : cp);
      part.append(cp);
      ++letters_in_part;
      // "Mc" starts a new capitalised part: McDonald. "Mac" does not (Mack, Macy, Mace).
      at_start = letters_in_part == 2 && part == icu::UnicodeString(u"mc") && out.length() == 2;
      continue;
    }
    out.append(cp);
    // After a hyphen, a space or a period a new part starts; after an apostrophe only when one
    // letter precedes it (O'Brien, D'Angelo), not in "Ann's".
    const bool apostrophe = cp == u'\'' || cp == 0x2019;
    at_start = !apostrophe || letters_in_part == 1;
    letters_in_part = 0;
    part.remove();
  }
  return out;
}

bool ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool ascii_particle(std::string_view word) {
  for (auto particle : kParticles) {
    if (particle.size() != word.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < word.size() && same; ++i)
      same = particle[i] == word[i];
    if (same) return true;
  }
  return false;
}

// The same rules as the ICU path, in place, for the ASCII names that make up most rows: this
// transform runs on two fields of every row and ICU's UTF-16 round trip would dominate the cost.
void title_ascii(std::string& value) {
  for (char& c : value)
    c = ascii_lower(c);
  int words = 0;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t'))
      ++i;
    const std::size_t begin = i;
    while (i < value.size() && value[i] != ' ' && value[i] != '\t')
      ++i;
    if (begin == i) break;
    const std::string_view word(value.data() + begin, i - begin);
    if (words++ > 0 && ascii_particle(word)) continue;
    bool at_start = true;
    int letters_in_part = 0;
    for (std::size_t j = begin; j < i; ++j) {
      const char c = value[j];
      if (ascii_alpha(c)) {
        if (at_start) value[j] = ascii_upper(c);
        ++letters_in_part;
        at_start = letters_in_part == 2 && j == begin + 1 && value[begin] == 'M' && c == 'c';
        continue;
      }
      at_start = c != '\'' || letters_in_part == 1;
      letters_in_part = 0;
    }
  }
}

bool ascii_uniform_case(std::string_view value) {
  bool upper = false;
  bool lower = false;
  for (char c : value) {
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
  }
  return !(upper && lower);
}

// True when `value` holds upper- and lower-case letters among ASCII and the Latin-1 letters
// (U+00C0..U+00FF, "\xC3\x80".."\xC3\xBF" in UTF-8), whose case is fixed by their code point:
// ICU's u_isupper/u_islower agree on them, so a value found mixed here is mixed for ICU too.
bool latin1_mixed_case(std::string_view value) {
  bool upper = false;
  bool lower = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    upper = upper || (c >= 'A' && c <= 'Z');
    lower = lower || (c >= 'a' && c <= 'z');
    if (c == '\xC3' && i + 1 < value.size()) {
      const auto next = static_cast<unsigned char>(value[i + 1]);
      // U+00D7 and U+00F7 are the multiplication and division signs, not letters.
      upper = upper || (next >= 0x80 && next <= 0x9E && next != 0x97);
      lower = lower || (next >= 0x9F && next <= 0xBF && next != 0xB7);
    }
  }
  return upper && lower;
}

class TitleCase final : public Transform {
 public:
  explicit TitleCase(bool force) : force_(force) {}

  TransformOutcome apply(std::string& value) const override {
    if (value.empty()) return {};
    if (is_ascii(value)) {
      if (force_ || ascii_uniform_case(value)) title_ascii(value);
      return {};
    }
    // Letters of both cases make the value mixed whatever its other letters are: "José",
    // "García" and "Østergaard" are left as written without ICU's UTF-16 round trip.
    if (!force_ && latin1_mixed_case(value)) return {};
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
    if (!force_ && !uniform_case(text)) return {};
    text.toLower(icu::Locale::getRoot());
    icu::UnicodeString out;
    icu::UnicodeString word;
    int words = 0;
    auto flush = [&] {
      if (word.isEmpty()) return;
      out.append(words > 0 && is_particle(word) ? word : title_word(word));
      ++words;
      word.remove();
    };
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
      const UChar32 cp = text.char32At(i);
      if (u_isUWhiteSpace(cp)) {
        flush();
        out.append(cp);
      } else {
        word.append(cp);
      }
    }
    flush();
    value.clear();
    out.toUTF8String(value);
    return {};
  }

 private:
  bool force_;
};
}  // namespace

TransformDecl title_case_transform() {
  return {.name = "title_case",
          .doc = "capitalises names: McDonald, O'Brien, van der Berg, Jones-Herrera",
          .params = {{.name = "force",
                      .kind = ParamKind::boolean,
                      .default_value = "false",
                      .required = false,
                      .allowed = {},
                      .doc = "also re-case mixed-case values (by default 'DeWitt' is left as the "
                             "rep wrote it; only ALL-CAPS or all-lower values change)"}},
          .make = [](const TransformArgs& args) -> TransformResult {
            return std::make_unique<TitleCase>(args.flag("force"));
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
