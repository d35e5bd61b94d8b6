// mappings/transforms/regex.cpp — RE2 (linear time: an admin's pattern cannot hang the daemon on
// a rep's cell): check a value matches, rewrite it, or extract a part of it.
#include <re2/re2.h>

#include "mappings/transforms/registry.hpp"

namespace crmsync::mappings {
namespace {

enum class Mode : std::uint8_t { match, replace, extract };

class Regex final : public Transform {
 public:
  Regex(std::unique_ptr<RE2> pattern, Mode mode, std::string rewrite, Verdict on_mismatch)
      : pattern_(std::move(pattern)),
        mode_(mode),
        rewrite_(std::move(rewrite)),
        on_mismatch_(on_mismatch) {}

  TransformOutcome apply(std::string& value) const override {
    if (value.empty()) return {};
    switch (mode_) {
      case Mode::replace:
        RE2::GlobalReplace(&value, *pattern_, rewrite_);
        return {};
      case Mode::match:
        if (RE2::PartialMatch(value, *pattern_)) return {};
        return mismatch(value);
      case Mode::extract: {
        std::string extracted;
        // With a capture group, the first group; without, the whole match.
        const bool found = pattern_->NumberOfCapturingGroups() > 0
                               ? RE2::PartialMatch(value, *pattern_, &extracted)
                               : RE2::Extract(value, *pattern_, "\\0", &extracted);
        if (!found) return mismatch(value);
        value = std::move(extracted);
        return {};
      }
    }
    return {};
  }

 private:
  TransformOutcome mismatch(const std::string& value) const {
    if (on_mismatch_ == Verdict::ok) return {};
    return {.verdict = on_mismatch_,
            .reason = "'" + value + "' does not match /" + pattern_->pattern() + "/"};
  }

  std::unique_ptr<RE2> pattern_;
  Mode mode_;
  std::string rewrite_;
  Verdict on_mismatch_;
};
}  // namespace

TransformDecl regex_transform() {
  return {.name = "regex",
          .doc =
              "RE2 regular expression: check that the value matches, replace every match, or "
              "extract the first capture group",
          .params = {{.name = "pattern",
                      .kind = ParamKind::string,
                      .default_value = "",
                      .required = true,
                      .allowed = {},
                      .doc = "an RE2 pattern (https://github.com/google/re2/wiki/Syntax)"},
                     {.name = "mode",
                      .kind = ParamKind::choice,
                      .default_value = "match",
                      .required = false,
                      .allowed = {"match", "replace", "extract"},
                      .doc = "match: keep the value if it matches; replace: rewrite every match "
                             "with 'with'; extract: keep only the first capture group"},
                     {.name = "with",
                      .kind = ParamKind::string,
                      .default_value = "",
                      .required = false,
                      .allowed = {},
                      .doc = "the replacement for mode: replace; \\1 names a capture group"},
                     on_invalid_param("reject_field", "(non-matching) value")},
          .make = [](const TransformArgs& args) -> TransformResult {
            auto pattern = std::make_unique<RE2>(args.text("pattern"), RE2::Quiet);
            if (!pattern->ok()) return "invalid regular expression: " + pattern->error();
            const auto& mode = args.text("mode");
            const Mode parsed = mode == "replace"   ? Mode::replace
                                : mode == "extract" ? Mode::extract
                                                    : Mode::match;
            std::string rewrite_error;
            if (parsed == Mode::replace
                && !pattern->CheckRewriteString(args.text("with"), &rewrite_error))
              return "invalid replacement 'with': " + rewrite_error;
            return std::make_unique<Regex>(std::move(pattern), parsed, args.text("with"),
                                           verdict_from(args.text("on_invalid")));
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
