#include "core/error.hpp"

namespace crmsync {

std::string_view to_string(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::config:
      return "config";
    case ErrorCategory::input:
      return "input";
    case ErrorCategory::auth:
      return "auth";
    case ErrorCategory::transient:
      return "transient";
    case ErrorCategory::permanent:
      return "permanent";
  }
  return "unknown";
}

int exit_code_for(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::config:
      return kExitConfig;
    case ErrorCategory::input:
      return kExitDataError;
    case ErrorCategory::auth:
      return kExitNoPerm;
    case ErrorCategory::transient:
      return kExitTempFail;
    case ErrorCategory::permanent:
      return kExitUnavailable;
  }
  return kExitSoftware;
}

}  // namespace crmsync
