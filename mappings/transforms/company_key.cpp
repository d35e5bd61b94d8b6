// mappings/transforms/company_key.cpp — a key under which "Acme Corp", "ACME CORPORATION" and
// "Acme, Inc." meet: accents folded, case and punctuation dropped, legal-form suffixes removed.
// For matching only — the loader refuses it on a field that would be written to the CRM, since
// nobody wants their account renamed "acme".
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <set>
#include <unordered_map>

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

class CompanyKey final : public Transform {
 public:
  CompanyKey(std::unique_ptr<icu::Transliterator> fold, std::set<std::string> suffixes)
      : fold_(std::move(fold)), suffixes_(std::move(suffixes)) {}

  TransformOutcome apply(std::string& value) const override {
    if (value.empty()) return {};
    const std::string& folded = is_ascii(value) ? value : fold(value);
    // Words: runs of letters and digits; '&' and other punctuation separate.
    std::vector<std::string> words;
    std::string current;
    for (char c : folded) {
      const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
        current.push_back(lower);
      } else if (c != '.' && c != '\'') {  // "Inc." and "L.L.C." stay one word
        if (!current.empty()) words.push_back(std::move(current));
        current.clear();
      }
    }
    if (!current.empty()) words.push_back(std::move(current));
    // Suffixes come off the end only: "Co Op Foods Inc" keeps "co op foods". The first word stays
    // even if it looks like a suffix ("AB Dick").
    while (words.size() > 1 && suffixes_.contains(words.back()))
      words.pop_back();
    value.clear();
    for (const auto& word : words) {
      if (!value.empty()) value += " ";
      value += word;
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
  std::set<std::string> suffixes_;
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
            std::set<std::string> suffixes(kLegalForms.begin(), kLegalForms.end());
            for (const auto& word : args.list("also"))
              suffixes.insert(loose_key(word));
            return std::make_unique<CompanyKey>(std::move(fold), std::move(suffixes));
          },
          .match_only = true};
}
}  // namespace crmsync::mappings
