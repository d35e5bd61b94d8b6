// core/error.hpp — the one error type of crmsync: every failure carries the category decided where
// it was born, so callers choose retry / reject / stop from the category, never from message text.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace crmsync {

enum class ErrorCategory {
  config,     // the configuration or a mapping is wrong: fix the file, nothing to retry
  input,      // one source item or row is bad: reject it, go on with the rest
  auth,       // credentials refused: stop the cycle, do not retry in a loop
  transient,  // outage, timeout, 429/503, lock: retry later with backoff
  permanent,  // the CRM refused the operation for good: record it, do not retry
};

std::string_view to_string(ErrorCategory category) noexcept;

// The process exit code for a failure of this category (sysexits.h values where they exist).
int exit_code_for(ErrorCategory category) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, std::string message)
      : std::runtime_error(std::move(message)), category_(category) {}

  ErrorCategory category() const noexcept { return category_; }
  bool retryable() const noexcept { return category_ == ErrorCategory::transient; }

 private:
  ErrorCategory category_;
};

// Exit codes of the command-line contract.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;        // EX_USAGE: bad command line
inline constexpr int kExitDataError = 65;    // EX_DATAERR: an input file cannot be read at all
inline constexpr int kExitUnavailable = 69;  // EX_UNAVAILABLE: the CRM is unreachable
inline constexpr int kExitSoftware = 70;     // EX_SOFTWARE: a bug
inline constexpr int kExitIoError = 74;      // EX_IOERR: the output could not be written
inline constexpr int kExitTempFail = 75;     // EX_TEMPFAIL: transient, try again later
inline constexpr int kExitNoPerm = 77;       // EX_NOPERM: authentication refused
inline constexpr int kExitConfig = 78;       // EX_CONFIG: configuration or mapping invalid

}  // namespace crmsync
