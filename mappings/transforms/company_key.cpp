// mappings/transforms/company_key.cpp — a key under which "Acme Corp", "ACME CORPORATION" and
// "Acme, Inc." meet: accents folded, case and punctuation dropped, legal-form suffixes removed.
// For matching only — the loader refuses it on a field that would be written to the CRM, since
// nobody wants their account renamed "acme".
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

// Legal forms across the markets reps sell into; `also:` adds more (group, holdings...).
const std::vector<std::string> kLegalForms = {
    "inc",  "incorporated", "corp", "corporation", "co", "company", "llc", "llp",
    "ltd",  "limited",      "plc",  "gmbh",        "ag", "kg",      "sa",  "sas",
    "sarl", "srl",          "spa",  "bv",          "nv", "ab",      "as",  "oy",
    "pty",  "pvt",          "lp",   "kk",          "sl", "se",      "mbh"};

// Hashed and looked up by string_view (the last word, in place): one lookup per row.
struct SuffixHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const noexcept {
    return std::hash<std::string_view>{}(word);
  }
};
using SuffixSet = std::unordered_set<std::string, SuffixHash, std::equal_to<>>;

class CompanyKey final : public Transform {
 public:
  CompanyKey(std::unique_ptr<icu::Transliterator> fold, SuffixSet suffixes)
      : fold_(std::move(fold)), suffixes_(std::move(suffixes)) {}

  TransformOutcome apply(std::string& value) const override {
    if (value.empty()) return {};
    // Folded names come from the cache; ASCII ones are rewritten where they are.
    if (!is_ascii(value)) value = fold(value);
    // Words: runs of letters and digits, lower-cased and joined by one space; '&' and other
    // punctuation separate. Built in place, without a vector of words, because this runs on
    // every row: the output never outgrows the input (each space replaces a separator).
    std::size_t out = 0;
    std::size_t last_word = 0;  // where the last word written starts
    std::size_t words = 0;
    bool in_word = false;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const char c = value[i];
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
        if (!in_word) {
          if (words++ > 0) value[out++] = ' ';
          last_word = out;
          in_word = true;
        }
        value[out++] = lower;
      } else if (c != '.' && c != '\'') {  // "Inc." and "L.L.C." stay one word
        in_word = false;
      }
    }
    value.resize(out);
    // Suffixes come off the end only: "Co Op Foods Inc" keeps "co op foods". The first word stays
    // even if it looks like a suffix ("AB Dick").
    while (words > 1 && suffixes_.contains(std::string_view(value).substr(last_word))) {
      value.resize(last_word - 1);
      --words;
      last_word = value.rfind(' ') + 1;  // npos + 1 == 0 when one word is left
    }
    return {};
  }

 private:
  // ICU transliteration costs microseconds and reps repeat company names on many rows, so folded
  // names are cached (bounded; one compiled mapping is used by one thread at a time).
  const std::string& fold(const std::string& value) const {
    if (auto found = folded_.find(value); found != folded_.end()) return found->second;
    if (folded_.size() >= 50000) folded_.clear();
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
    fold_->transliterate(text);
    std::string folded;
    text.toUTF8String(folded);
    return folded_.emplace(value, std::move(folded)).first->second;
  }

  std::unique_ptr<icu::Transliterator> fold_;
  mutable std::unordered_map<std::string, std::string> folded_;
  SuffixSet suffixes_;
};
}  // namespace

TransformDecl company_key_transform() {
  std::string forms;
  for (const auto& form : kLegalForms) {
    if (!forms.empty()) forms += ", ";
    forms += form;
  }
  return {.name = "company_key",
          .doc =
              "a matching key for a company name: lower case, ASCII, no punctuation, legal "
              "forms ("
              + forms + ") removed from the end; never written to the CRM",
          .params = {{.name = "also",
                      .kind = ParamKind::string_list,
                      .default_value = "",
                      .required = false,
                      .allowed = {},
                      .doc = "more trailing words to remove, such as [group, holdings]"}},
          .make = [](const TransformArgs& args) -> TransformResult {
            UErrorCode status = U_ZERO_ERROR;
            std::unique_ptr<icu::Transliterator> fold(icu::Transliterator::createInstance(
                "Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
            if (U_FAILURE(status) || !fold)
              return std::string("ICU transliterator 'Latin-ASCII' is unavailable");
            SuffixSet suffixes(kLegalForms.begin(), kLegalForms.end());
            for (const auto& word : args.list("also"))
              suffixes.insert(loose_key(word));
            return std::make_unique<CompanyKey>(std::move(fold), std::move(suffixes));
          },
          .match_only = true};
}
}  // namespace crmsync::mappings
