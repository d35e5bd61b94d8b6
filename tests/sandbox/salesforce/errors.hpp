// Error bodies exactly as the REST API sends them (reference §7.1): an array of
// {"message","errorCode"[,"fields"]} for HTTP errors, and {"statusCode","message","fields"}
// inside collection results.
#pragma once

#include <string>
#include <vector>

#include "http/message.hpp"
#include "json/json_writer.hpp"

namespace sandbox::salesforce {

struct ApiError {
  std::string code;
  std::string message;
  std::vector<std::string> fields;
  bool with_fields = false;  // field-level errors always carry "fields", even when empty
};

ApiError field_error(std::string code, std::string message, std::vector<std::string> fields);

http::Response error_response(int status, const ApiError& error);
http::Response error_response(int status, std::string code, std::string message);
// The body the real org sends for a missing, expired or revoked token.
http::Response invalid_session();
http::Response not_found();
http::Response json_parser_error(const std::string& detail);

// The retryable per-record lock failure (reference §7.3), naming the locked record.
ApiError unable_to_lock_row(const std::string& locked_id);

// {"statusCode":...,"message":...,"fields":[...]} as in collection/composite results.
void write_item_error(json::Writer& out, const ApiError& error);

}  // namespace sandbox::salesforce
