// mappings/transforms/phone.cpp — any phone a rep types, as E.164 (+14155550123), extension kept
// (" x786"). libphonenumber does the parsing; what is ours is undoing Excel: a phone typed into a
// cell Excel thinks is numeric arrives as 4155550123, "4155550123.0", or in scientific notation.
// Parsing is slow (~microseconds), and reps repeat numbers across rows and files, so results are
// cached per distinct input. A compiled mapping is used by one thread at a time, so the cache is
// not locked.
#include "mappings/transforms/phone.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <charconv>
#include <optional>
#include <set>
#include <unordered_map>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// "4.155550123E+09" -> "4155550123" when the mantissa keeps every digit; "" when Excel rounded
// digits away ("4.15555E+09"), which no one can recover.
std::string expand_scientific(const std::string& text, bool& lost_digits) {
  lost_digits = false;
  const auto e = text.find_first_of("eE");
  if (e == std::string::npos || e == 0) return {};
  const std::string mantissa = text.substr(0, e);
  int exponent = 0;
  const char* exp_begin = text.data() + e + 1;
  if (*exp_begin == '+') ++exp_begin;
  auto [end, error] = std::from_chars(exp_begin, text.data() + text.size(), exponent);
  if (error != std::errc() || end != text.data() + text.size()) return {};
  std::string digits;
  int fraction_digits = 0;
  bool seen_point = false;
  for (char c : mantissa) {
    if (c == '.' || c == ',') {
      if (seen_point) return {};
      seen_point = true;
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (seen_point) ++fraction_digits;
    } else {
      return {};
    }
  }
  if (digits.empty() || exponent < fraction_digits || exponent > 20) return {};
  digits.append(static_cast<std::size_t>(exponent - fraction_digits), '0');
  // Fewer than 9 significant digits in front of the padding zeros: Excel's 6-digit "General"
  // display rounded the number.
  const auto significant = mantissa.size() - (seen_point ? 1U : 0U);
  lost_digits = significant < 9 && digits.size() >= 9;
  return digits;
}

// "4155550123.0" -> "4155550123" (a numeric cell read as text by a CSV reader).
void strip_float_tail(std::string& text) {
  const auto point = text.find('.');
  if (point == std::string::npos || point == 0) return;
  for (std::size_t i = 0; i < point; ++i)
    if (text[i] < '0' || text[i] > '9') return;
  for (std::size_t i = point + 1; i < text.size(); ++i)
    if (text[i] != '0') return;
  text.resize(point);
}

// The shape nearly every number in a North American rep's file has: "+1" and ten digits, or,
// when the region is in the North American plan, ten digits after an optional national prefix
// 1, with spaces, dashes, dots or parentheses between them. libphonenumber spends ~20 µs of regex
// work on each and always answers "+1" and the ten digits; this gives the same answer without it.
// An area code never starts with 0 or 1, so those, and every other shape, go to libphonenumber.
// A test compares the two on generated inputs.
std::optional<std::string> plain_north_american(std::string_view text, bool region_is_nanp) {
  const bool international = text.starts_with("+1");
  if (!international && !region_is_nanp) return std::nullopt;
  std::string digits;
  for (const char c : international ? text.substr(2) : text) {
    if (c >= '0' && c <= '9') {
      if (digits.size() == 11) return std::nullopt;
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (!international && digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
  if (digits.size() != 10 || digits[0] < '2') return std::nullopt;
  return "+1" + digits;
}

struct Cached {
  std::string value;
  TransformOutcome outcome;
};

class Phone final : public Transform {
 public:
  Phone(std::string region, Verdict on_invalid, bool keep_extension)
      : region_(std::move(region)),
        region_is_nanp_(PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region_) == 1),
        on_invalid_(on_invalid),
        keep_extension_(keep_extension) {}

  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    if (auto plain = plain_north_american(value, region_is_nanp_)) {
      ++stats_.plain;
      value = std::move(*plain);
      return {};
    }
    if (auto found = cache_.find(value); found != cache_.end()) {
      ++stats_.hits;
      value = found->second.value;
      return found->second.outcome;
    }
    ++stats_.misses;
    // Bounded so a million distinct numbers cannot grow memory without limit.
    if (cache_.size() >= kMaxCached) cache_.clear();
    std::string key = value;
    TransformOutcome outcome = normalize(value);
    cache_.emplace(std::move(key), Cached{value, outcome});
    return outcome;
  }

  PhoneCacheStats stats() const { return stats_; }

 private:
  static constexpr std::size_t kMaxCached = 200000;

  TransformOutcome invalid(const std::string& original, const std::string& why) const {
    if (on_invalid_ == Verdict::ok) return {};
    return {.verdict = on_invalid_, .reason = "invalid phone '" + original + "': " + why};
  }

  TransformOutcome normalize(std::string& value) const {
    const std::string original = value;
    std::string text = value;
    strip_float_tail(text);
    bool lost_digits = false;
    if (auto expanded = expand_scientific(text, lost_digits); !expanded.empty()) {
      if (lost_digits)
        return invalid(original,
                       "Excel stored it as a number and rounded digits away; format the column "
                       "as Text and type it again");
      text = expanded;
    }
    const auto& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(text, region_, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
      return invalid(original, "not a phone number");
    // IsPossibleNumber, not IsValidNumber: the CRM holds numbers from ranges libphonenumber's
    // metadata does not know yet (and test data uses unassigned area codes); length and country
    // code are what we can check honestly.
    if (!util.IsPossibleNumber(number)) return invalid(original, "wrong number of digits");
    std::string formatted;
    const std::string extension = number.extension();
    number.clear_extension();
    util.Format(number, PhoneNumberUtil::E164, &formatted);
    if (keep_extension_ && !extension.empty()) formatted += " x" + extension;
    value = std::move(formatted);
    return {};
  }

  std::string region_;
  bool region_is_nanp_;
  Verdict on_invalid_;
  bool keep_extension_;
  mutable std::unordered_map<std::string, Cached> cache_;
  mutable PhoneCacheStats stats_;
};
}  // namespace

std::optional<std::string> phone_region(std::string_view text) {
  static const std::set<std::string> regions = [] {
    std::set<std::string> all;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&all);
    return all;
  }();
  std::string region = to_upper_unicode(text);
  if (!regions.contains(region)) return std::nullopt;
  return region;
}

std::string unknown_phone_region(std::string_view text) {
  return "unknown phone region '" + std::string(text)
         + "' (expected an ISO 3166 country code such as US, GB, DE)";
}

PhoneCacheStats phone_cache_stats(const Transform& transform) {
  if (const auto* phone = dynamic_cast<const Phone*>(&transform)) return phone->stats();
  return {};
}

TransformDecl phone_transform() {
  return {
      .name = "phone",
      .doc =
          "a phone number as E.164 (+14155550123), extension kept as ' x123'; repairs "
          "numbers Excel turned into floats",
      .params = {{.name = "region",
                  .kind = ParamKind::string,
                  .default_value = "",
                  .required = false,
                  .allowed = {},
                  .doc = "ISO 3166 country assumed for numbers written without '+' and "
                         "country code; when not given, the rep's `phone_region` if crmsync.yaml "
                         "gives one, else the mapping's (US unless set)"},
                 on_invalid_param("reject_field", "number"),
                 {.name = "extension",
                  .kind = ParamKind::choice,
                  .default_value = "keep",
                  .required = false,
                  .allowed = {"keep", "drop"},
                  .doc = "keep an extension ('x786') after the number, or drop it"}},
      .make = [](const TransformArgs& args) -> TransformResult {
        // Not written: CompiledMapping fills in the rep's or the mapping's region; a
        // transform built without a mapping (tests, make_with_defaults) assumes US.
        const std::string& written = args.text("region");
        const auto region = phone_region(written.empty() ? kDefaultPhoneRegion : written);
        if (!region) return unknown_phone_region(written);
        return std::make_unique<Phone>(*region, verdict_from(args.text("on_invalid")),
                                       args.text("extension") == "keep");
      },
      .match_only = false};
}
}  // namespace crmsync::mappings
