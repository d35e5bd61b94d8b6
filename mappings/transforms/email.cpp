// mappings/transforms/email.cpp — one normalised address from what reps type: trims, strips
// "mailto:" and "Name <a@b>" wrappers, lower-cases (every CRM we sync to compares addresses
// case-insensitively, and duplicates hide behind case), then checks the shape. Deliberately not
// full RFC 5322: quoted local parts and IP-literal domains do not occur in CRM data and would let
// typos through.
#include <array>

#include "mappings/transforms/registry.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

bool local_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x80) return true;  // internationalised local parts (RFC 6531)
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  // A table rather than a find() in the list: this runs on every byte of every address.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> table{};
    for (const char special : std::string_view("!#$%&'*+-/=?^_`{|}~."))
      table[static_cast<unsigned char>(special)] = true;
    return table;
  }();
  return kSpecial[byte];
}

bool domain_char(char c) {
  return static_cast<unsigned char>(c) >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
         || c == '-' || c == '.';
}

// Why `address` (lower-cased) is not a usable address, or "" when it is.
std::string email_problem(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos) return "has no '@'";
  if (address.find('@', at + 1) != std::string_view::npos) return "has more than one '@'";
  const auto local = address.substr(0, at);
  const auto domain = address.substr(at + 1);
  if (local.empty()) return "has nothing before the '@'";
  if (local.size() > 64) return "has a part before the '@' longer than 64 characters";
  for (char c : local)
    if (!local_char(c)) return std::string("contains '") + c + "' before the '@'";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "has a misplaced '.' before the '@'";
  if (domain.empty()) return "has no domain after the '@'";
  for (char c : domain)
    if (!domain_char(c)) return std::string("contains '") + c + "' in the domain";
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot + 2 > domain.size() || dot == 0)
    return "has a domain without a '.' and a top-level part";
  if (domain.front() == '-' || domain.find("..") != std::string_view::npos)
    return "has a malformed domain";
  return {};
}

// True exactly when email_problem() finds nothing, in one pass over the address instead of its
// dozen: nearly every address is valid, and this runs on every row.
bool plainly_valid(std::string_view address) {
  std::size_t at = std::string_view::npos;
  std::size_t last_dot = std::string_view::npos;
  for (std::size_t i = 0; i < address.size(); ++i) {
    const char c = address[i];
    if (c == '@') {
      if (at != std::string_view::npos) return false;
      at = i;
      continue;
    }
    if (!(at == std::string_view::npos ? local_char(c) : domain_char(c))) return false;
    if (c == '.') {
      if (i > 0 && address[i - 1] == '.') return false;
      last_dot = i;
    }
  }
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  if (address.front() == '.' || address[at - 1] == '.') return false;
  const std::size_t domain = at + 1;
  if (domain == address.size() || address[domain] == '-') return false;
  // The domain's last '.' neither starts it nor ends it without a top-level part after it.
  return last_dot != std::string_view::npos && last_dot > domain && last_dot + 2 <= address.size();
}

class Email final : public Transform {
 public:
  explicit Email(Verdict on_invalid) : on_invalid_(on_invalid) {}

  TransformOutcome apply(std::string& value) const override {
    trim_in_place(value);
    if (value.empty()) return {};
    // "Ann Lee <ann@x.com>" as Outlook copies it.
    if (const auto open = value.rfind('<'); open != std::string::npos) {
      const auto close = value.find('>', open);
      if (close != std::string::npos) {
        value.resize(close);
        value.erase(0, open + 1);
      }
    }
    lower_in_place(value);
    if (value.starts_with("mailto:")) {
      value.erase(0, 7);
      trim_in_place(value);
    }
    if (plainly_valid(value)) return {};
    const auto problem = email_problem(value);
    if (problem.empty() || on_invalid_ == Verdict::ok) return {};
    return {.verdict = on_invalid_, .reason = "invalid email '" + value + "': " + problem};
  }

 private:
  Verdict on_invalid_;
};
}  // namespace

TransformDecl email_transform() {
  return {.name = "email",
          .doc =
              "normalises an email address (trim, lower case, strip 'mailto:' and 'Name <...>') "
              "and checks its shape",
          .params = {on_invalid_param("reject_row", "address")},
          .make = [](const TransformArgs& args) -> TransformResult {
            return std::make_unique<Email>(verdict_from(args.text("on_invalid")));
          },
          .match_only = false};
}
}  // namespace crmsync::mappings
