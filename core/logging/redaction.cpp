#include "core/logging/redaction.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace crmsync {
namespace {

struct Pattern {
  std::unique_ptr<RE2> regex;
  std::string rewrite;
};

// Each pattern keeps the name of what it hides and replaces only the value.
const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> all = [] {
    std::vector<Pattern> list;
    auto add = [&](const char* expression, const char* rewrite) {
      auto regex = std::make_unique<RE2>(expression);
      list.push_back({std::move(regex), rewrite});
    };
    const std::string redacted(kRedacted);
    // PEM private keys, whole.
    add(R"(-----BEGIN [A-Z ]*PRIVATE KEY-----(?s:.*?)(-----END [A-Z ]*PRIVATE KEY-----|$))",
        "[REDACTED PRIVATE KEY]");
    // Authorization: Bearer xxx / Basic xxx (headers, curl -v traces).
    add(R"((?i)(authorization\s*[:=]\s*)(bearer|basic|oauth)?\s*[^\s,;"']+)", "\\1\\2 [REDACTED]");
    add(R"((?i)\b(bearer)\s+[A-Za-z0-9._~+/!=-]{8,})", "\\1 [REDACTED]");
    // JSON fields: "access_token": "...", "client_secret":"..."
    add(R"re((?i)("(?:access_token|refresh_token|id_token|client_secret|password|assertion|secret|token|private_key|api_key|apikey|session_id|sessionid)"\s*:\s*")(?:[^"\\]|\\.)*")re",
        "\\1[REDACTED]\"");
    // Form / query parameters: client_secret=...&  password=...
    add(R"((?i)\b((?:access_token|refresh_token|id_token|client_secret|password|assertion|token|api_key|code|sid)=)[^&\s"']+)",
        "\\1[REDACTED]");
    // Salesforce session ids: 00D + org id + '!' + token.
    add(R"(\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+)", "[REDACTED SESSION]");
    return list;
  }();
  return all;
}

std::shared_mutex& secrets_mutex() {
  static std::shared_mutex mutex;
  return mutex;
}

std::vector<std::string>& secret_values() {
  static std::vector<std::string> values;
  return values;
}

}  // namespace

void register_secret_value(std::string_view value) {
  if (value.size() < 6) return;
  std::unique_lock lock(secrets_mutex());
  auto& values = secret_values();
  if (std::find(values.begin(), values.end(), value) == values.end()) values.emplace_back(value);
  // Longest first, so a secret that contains another is removed whole.
  std::sort(values.begin(), values.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string redact(std::string_view text) {
  std::string out(text);
  {
    std::shared_lock lock(secrets_mutex());
    for (const auto& secret : secret_values()) {
      for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at)) {
        out.replace(at, secret.size(), kRedacted);
        at += kRedacted.size();
      }
    }
  }
  for (const auto& pattern : patterns())
    RE2::GlobalReplace(&out, *pattern.regex, pattern.rewrite);
  return out;
}

}  // namespace crmsync
