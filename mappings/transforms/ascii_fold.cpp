// mappings/transforms/ascii_fold.cpp — accents and other scripts to plain ASCII with ICU's
// transliterator ("Müller" -> "Muller", "Østergaard" -> "Ostergaard"). For keys and legacy fields
// only: names written to the CRM keep their accents.
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class AsciiFold final : public Transform {
 public:
  explicit AsciiFold(std::unique_ptr<icu::Transliterator> transliterator)
      : transliterator_(std::move(transliterator)) {}

  TransformOutcome apply(std::string& value) const override {
    if (is_ascii(value)) return {};
    auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(value.data(), static_cast<int32_t>(value.size())));
    transliterator_->transliterate(text);
    value.clear();
    text.toUTF8String(value);
    return {};
  }

 private:
  std::unique_ptr<icu::Transliterator> transliterator_;
};
}  // namespace

TransformDecl ascii_fold_transform() {
  return {.name = "ascii_fold",
          .doc = "replaces accented letters and other scripts by their closest ASCII spelling",
          .params = {},
          .make = [](const TransformArgs&) -> TransformResult {
            UErrorCode status = U_ZERO_ERROR;
            // Creating a transliterator parses rules: done once per compiled mapping.
            std::unique_ptr<icu::Transliterator> transliterator(icu::Transliterator::createInstance(
                "Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
            if (U_FAILURE(status) || !transliterator)
              return std::string("ICU transliterator 'Latin-ASCII' is unavailable: ")
                     + u_errorName(status);
            return std::make_unique<AsciiFold>(std::move(transliterator));
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
