#include "connectors/salesforce/bulk_job.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "connectors/salesforce/api_error.hpp"
#include "core/error.hpp"

namespace crmsync::salesforce {

std::string job_field(std::string_view body, const char* field) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view value;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS
      || root[field].get_string().get(value) != simdjson::SUCCESS)
    return {};
  return std::string(value);
}

void throw_job_error(const http::Response& response, const std::string& what) {
  const auto error = parse_error_body(response.body).front();
  const bool transient =
      response.status >= 500 || category_for(action_for(error)) == ErrorCategory::transient;
  throw Error(
      transient ? ErrorCategory::transient : ErrorCategory::permanent,
      fmt::format("Bulk API {}: HTTP {} {}: {}", what, response.status, error.code, error.message));
}

}  // namespace crmsync::salesforce
