#include "connectors/salesforce/api_error.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>

namespace crmsync::salesforce {
namespace {

std::string text_of(simdjson::dom::element element) {
  std::string_view view;
  if (element.get_string().get(view) == simdjson::SUCCESS) return std::string(view);
  return {};
}

ApiError parse_one(simdjson::dom::object object) {
  ApiError error;
  simdjson::dom::element value;
  if (object["errorCode"].get(value) == simdjson::SUCCESS) error.code = text_of(value);
  if (error.code.empty() && object["statusCode"].get(value) == simdjson::SUCCESS)
    error.code = text_of(value);
  if (object["message"].get(value) == simdjson::SUCCESS) error.message = text_of(value);
  simdjson::dom::array fields;
  if (object["fields"].get_array().get(fields) == simdjson::SUCCESS)
    for (auto field : fields)
      error.fields.push_back(text_of(field));
  simdjson::dom::array matches;
  if (object.at_pointer("/duplicateResult/matchResults").get_array().get(matches)
      == simdjson::SUCCESS) {
    for (auto match : matches) {
      simdjson::dom::array records;
      if (match["matchRecords"].get_array().get(records) != simdjson::SUCCESS) continue;
      for (auto record : records) {
        simdjson::dom::element id;
        if (record.at_pointer("/record/Id").get(id) == simdjson::SUCCESS)
          error.duplicate_ids.push_back(text_of(id));
      }
    }
  }
  return error;
}

}  // namespace

std::vector<ApiError> parse_error_body(std::string_view body) {
  std::vector<ApiError> errors;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS) {
    simdjson::dom::array array;
    simdjson::dom::object object;
    if (root.get_array().get(array) == simdjson::SUCCESS) {
      for (auto item : array)
        if (item.get_object().get(object) == simdjson::SUCCESS) errors.push_back(parse_one(object));
    } else if (root.get_object().get(object) == simdjson::SUCCESS) {
      simdjson::dom::element value;
      if (object["error"].get(value) == simdjson::SUCCESS) {
        ApiError oauth;
        oauth.code = text_of(value);
        if (object["error_description"].get(value) == simdjson::SUCCESS)
          oauth.message = text_of(value);
        errors.push_back(std::move(oauth));
      } else {
        errors.push_back(parse_one(object));
      }
    }
  }
  if (errors.empty()) {
    ApiError unknown;
    unknown.code = "UNKNOWN";
    unknown.message = std::string(body.substr(0, 300));
    errors.push_back(std::move(unknown));
  }
  return errors;
}

ErrorAction action_for(const ApiError& error) {
  const auto& code = error.code;
  if (code == "UNABLE_TO_LOCK_ROW" || code == "SERVER_UNAVAILABLE" || code == "UNKNOWN_EXCEPTION"
      || code == "QUERY_TIMEOUT")
    return ErrorAction::retry;
  if (code == "INVALID_SESSION_ID") return ErrorAction::reauthenticate;
  if (code == "REQUEST_LIMIT_EXCEEDED") {
    // The concurrent-request limit clears in seconds; the daily one in hours.
    return error.message.find("Concurrent") != std::string::npos ? ErrorAction::retry
                                                                 : ErrorAction::pause;
  }
  if (code == "DUPLICATES_DETECTED") return ErrorAction::review;
  static constexpr std::array<std::string_view, 14> kRowProblems{
      "REQUIRED_FIELD_MISSING",
      "STRING_TOO_LONG",
      "INVALID_EMAIL_ADDRESS",
      "FIELD_CUSTOM_VALIDATION_EXCEPTION",
      "DUPLICATE_VALUE",
      "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
      "INVALID_CROSS_REFERENCE_KEY",
      "MALFORMED_ID",
      "ENTITY_IS_DELETED",
      "FIELD_INTEGRITY_EXCEPTION",
      "NUMBER_OUTSIDE_VALID_RANGE",
      "INVALID_TYPE_ON_FIELD_IN_RECORD",
      "DUPLICATE_EXTERNAL_ID",
      "ALL_OR_NONE_OPERATION_ROLLED_BACK"};
  if (std::find(kRowProblems.begin(), kRowProblems.end(), code) != kRowProblems.end())
    return ErrorAction::reject;
  return ErrorAction::fail;
}

ErrorCategory category_for(ErrorAction action) {
  switch (action) {
    case ErrorAction::retry:
      return ErrorCategory::transient;
    case ErrorAction::reauthenticate:
      return ErrorCategory::auth;
    case ErrorAction::pause:
      return ErrorCategory::transient;
    case ErrorAction::review:
      return ErrorCategory::input;
    case ErrorAction::reject:
      return ErrorCategory::input;
    case ErrorAction::fail:
      return ErrorCategory::permanent;
  }
  return ErrorCategory::permanent;
}

std::string plain_reason(const ApiError& error) {
  if (error.code == "DUPLICATES_DETECTED")
    return "the CRM's duplicate rule found this person already: "
           + (error.duplicate_ids.empty() ? error.message : error.duplicate_ids.front());
  if (error.code == "REQUIRED_FIELD_MISSING" && !error.fields.empty()) {
    std::string list;
    for (const auto& field : error.fields)
      list += (list.empty() ? "" : ", ") + field;
    return "the CRM requires " + list + ", which this row does not have";
  }
  return error.message.empty() ? error.code : error.message;
}

}  // namespace crmsync::salesforce
