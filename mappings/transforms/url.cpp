// mappings/transforms/url.cpp — a web site as reps type it ("www.Acme.com/", "acme.com") as a
// URL the CRM can link: scheme added, host lower-cased, a lone trailing slash dropped.
#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {
class Url final : public Transform {
 public:
  explicit Url(Verdict on_invalid) : on_invalid_(on_invalid) {}

  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    std::string scheme = "https://";
    std::string rest = value;
    if (const auto sep = value.find("://"); sep != std::string::npos) {
      scheme = to_lower_unicode(value.substr(0, sep + 3));
      rest = value.substr(sep + 3);
    }
    const auto path_begin = rest.find_first_of("/?#");
    std::string host = to_lower_unicode(rest.substr(0, path_begin));
    std::string path = path_begin == std::string::npos ? "" : rest.substr(path_begin);
    if (path == "/") path.clear();
    const bool valid_scheme = scheme == "https://" || scheme == "http://";
    if (!valid_scheme || host.find('.') == std::string::npos
        || host.find_first_of(" @,;") != std::string::npos) {
      if (on_invalid_ == Verdict::ok) return {};
      return {.verdict = on_invalid_, .reason = "not a web address: '" + value + "'"};
    }
    value = scheme + host + path;
    return {};
  }

 private:
  Verdict on_invalid_;
};
}  // namespace

TransformDecl url_transform() {
  return {.name = "url",
          .doc =
              "a web address with its scheme (https:// added when missing) and a lower-case "
              "host",
          .params = {on_invalid_param("reject_field", "web address")},
          .make = [](const TransformArgs& args) -> TransformResult {
            return std::make_unique<Url>(verdict_from(args.text("on_invalid")));
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
