#include "salesforce/errors.hpp"

namespace sandbox::salesforce {

ApiError field_error(std::string code, std::string message, std::vector<std::string> fields) {
  return ApiError{std::move(code), std::move(message), std::move(fields), true};
}

http::Response error_response(int status, const ApiError& error) {
  json::Writer out;
  out.begin_array().begin_object();
  out.field("message", error.message);
  out.field("errorCode", error.code);
  if (error.with_fields || !error.fields.empty()) {
    out.key("fields").begin_array();
    for (const auto& field : error.fields)
      out.string(field);
    out.end_array();
  }
  out.end_object().end_array();
  return http::Response::json(status, out.take());
}

http::Response error_response(int status, std::string code, std::string message) {
  return error_response(status, ApiError{std::move(code), std::move(message), {}, false});
}

http::Response invalid_session() {
  return error_response(401, "INVALID_SESSION_ID", "Session expired or invalid");
}

http::Response not_found() {
  return error_response(404, "NOT_FOUND", "The requested resource does not exist");
}

http::Response json_parser_error(const std::string& detail) {
  return error_response(400, "JSON_PARSER_ERROR", detail);
}

ApiError unable_to_lock_row(const std::string& locked_id) {
  return ApiError{"UNABLE_TO_LOCK_ROW",
                  "unable to obtain exclusive access to this record or 1 records: " + locked_id,
                  {},
                  true};
}

void write_item_error(json::Writer& out, const ApiError& error) {
  out.begin_object();
  out.field("statusCode", error.code);
  out.field("message", error.message);
  out.key("fields").begin_array();
  for (const auto& field : error.fields)
    out.string(field);
  out.end_array();
  out.end_object();
}

}  // namespace sandbox::salesforce
