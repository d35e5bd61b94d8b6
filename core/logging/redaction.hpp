// core/logging/redaction.hpp — the one place that scrubs secrets from text bound for a log line.
// Every log sink of crmsync passes each message through redact(). It removes:
//  - every secret value resolve_secret() has read (registered here), wherever it appears;
//  - bearer tokens and Authorization headers, OAuth parameters and JSON fields that carry
//    tokens, secrets, passwords, assertions and refresh tokens;
//  - PEM private keys.
#pragma once

#include <string>
#include <string_view>

namespace crmsync {

inline constexpr std::string_view kRedacted = "[REDACTED]";

std::string redact(std::string_view text);

// Remembers a secret value so that redact() removes it from any text. Values shorter than
// 6 bytes are not registered (they would erase ordinary words); patterns still catch them.
void register_secret_value(std::string_view value);

}  // namespace crmsync
