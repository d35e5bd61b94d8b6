// connectors/salesforce/bulk_job.hpp — what the Bulk API 2.0 ingest and query paths share: a job's
// JSON fields, and the error a refused job call becomes.
#pragma once

#include <string>
#include <string_view>

#include "connectors/http/http_client.hpp"

namespace crmsync::salesforce {

// A string field of a job's JSON (id, state, errorMessage); empty when absent.
std::string job_field(std::string_view body, const char* field);

// Throws the Error a failed job call becomes: transient for 5xx and retryable codes.
[[noreturn]] void throw_job_error(const http::Response& response, const std::string& what);

}  // namespace crmsync::salesforce
