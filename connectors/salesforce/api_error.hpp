// connectors/salesforce/api_error.hpp — Salesforce's error bodies, and what each code means for
// crmsync: retry, re-authenticate, pause, ask a human, or reject the row with the reason the rep
// reads (shared/reference/salesforce-api.md §7).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace crmsync::salesforce {

struct ApiError {
  std::string code;  // errorCode (REST) or statusCode (collection items)
  std::string message;
  std::vector<std::string> fields;
  std::vector<std::string> duplicate_ids;  // DUPLICATES_DETECTED: the CRM's matchRecords
};

// What to do with a record or request that failed with `code`.
enum class ErrorAction {
  retry,           // UNABLE_TO_LOCK_ROW, SERVER_UNAVAILABLE, concurrent limits: resend later
  reauthenticate,  // INVALID_SESSION_ID: new token, replay once
  pause,           // REQUEST_LIMIT_EXCEEDED (daily): stop writing until the allowance returns
  review,          // DUPLICATES_DETECTED: the CRM's own rule found a duplicate; a human decides
  reject,          // the record's data is wrong (required field, too long, bad email...)
  fail,            // configuration or permission problem: stop and tell IT
};

ErrorAction action_for(const ApiError& error);
ErrorCategory category_for(ErrorAction action);

// Parses a REST error body: a JSON array of {errorCode, message, fields[, duplicateResult]},
// or an OAuth {error, error_description} object. A body that is not JSON becomes one error with
// code "UNKNOWN" and the (shortened) body as message, so nothing is lost.
std::vector<ApiError> parse_error_body(std::string_view body);

// A sentence for the rep's report ("Email: invalid email address: bob@@x").
std::string plain_reason(const ApiError& error);

}  // namespace crmsync::salesforce
