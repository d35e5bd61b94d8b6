// core/secrets/secret_ref.hpp — where a secret lives. Secrets are never literals in YAML: a secret
// setting names a file, a systemd credential (LoadCredential=, under $CREDENTIALS_DIRECTORY) or an
// environment variable, and is read only when a connector needs it.
#pragma once

#include <string>

#include "core/diagnostics/diagnostics.hpp"

namespace crmsync {

struct SecretRef {
  enum class Kind { none, file, credential, env };
  Kind kind = Kind::none;
  std::string name;      // path (with ${VAR} expanded at resolve time), credential or variable
  SourceLocation where;  // for errors at resolve time

  bool empty() const noexcept { return kind == Kind::none; }
  std::string describe() const;  // "file /etc/crmsync/sf.key" — never the secret itself
};

// Reads the secret. Trailing newlines are stripped (files written by `echo` have one). The value is
// registered with the log redactor before it is returned, so it can never reach a log line.
// Throws crmsync::Error (config) with a message that names the reference, never the value.
std::string resolve_secret(const SecretRef& ref);

}  // namespace crmsync
