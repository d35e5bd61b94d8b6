#include "connectors/salesforce/api_error.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

TEST(ApiError, RestErrorArray) {
  const auto errors = parse_error_body(
      R"([{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]}])");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(errors[0].fields, std::vector<std::string>{"LastName"});
  EXPECT_EQ(action_for(errors[0]), ErrorAction::reject);
  EXPECT_EQ(plain_reason(errors[0]), "the CRM requires LastName, which this row does not have");
}

TEST(ApiError, CollectionItemUsesStatusCode) {
  const auto errors = parse_error_body(
      R"({"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record","fields":[]})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "UNABLE_TO_LOCK_ROW");
  EXPECT_EQ(action_for(errors[0]), ErrorAction::retry);
  EXPECT_EQ(category_for(action_for(errors[0])), ErrorCategory::transient);
}

TEST(ApiError, DuplicatesDetectedCarriesTheMatchedRecords) {
  const auto errors = parse_error_body(
      R"([{"errorCode":"DUPLICATES_DETECTED","message":"Use one of these records?","fields":[],
  "duplicateResult":{"allowSave":true,"duplicateRule":"Standard_Contact_Duplicate_Rule",
    "duplicateRuleEntityType":"Contact","errorMessage":"Use one of these records?",
    "matchResults":[{"entityType":"Contact","errors":[],"matchEngine":"FuzzyMatchEngine",
      "matchRecords":[{"additionalInformation":[],"fieldDiffs":[],"matchConfidence":100.0,
        "record":{"attributes":{"type":"Contact","url":"/services/data/v54.0/sobjects/Contact/0038M0000016Wv8QAE"},
                  "Id":"0038M0000016Wv8QAE"}}],
      "rule":"Standard_Contact_Match_Rule_v1_1","size":1,"success":true}]}}])");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].duplicate_ids, std::vector<std::string>{"0038M0000016Wv8QAE"});
  EXPECT_EQ(action_for(errors[0]), ErrorAction::review);
}

TEST(ApiError, SessionLimitsAndOAuth) {
  EXPECT_EQ(
      action_for(parse_error_body(
          R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])")[0]),
      ErrorAction::reauthenticate);
  EXPECT_EQ(
      action_for(parse_error_body(
          R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])")
                     [0]),
      ErrorAction::pause);
  EXPECT_EQ(
      action_for(parse_error_body(
          R"([{"message":"ConcurrentPerOrgLongTxn Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])")
                     [0]),
      ErrorAction::retry);
  const auto oauth =
      parse_error_body(R"({"error":"invalid_grant","error_description":"authentication failure"})");
  EXPECT_EQ(oauth[0].code, "invalid_grant");
  EXPECT_EQ(oauth[0].message, "authentication failure");
  EXPECT_EQ(action_for(oauth[0]), ErrorAction::fail);
}

TEST(ApiError, NonJsonBodiesAreKeptNotLost) {
  const auto errors = parse_error_body("<html><body>Service Unavailable</body></html>");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "UNKNOWN");
  EXPECT_NE(errors[0].message.find("Service Unavailable"), std::string::npos);
  EXPECT_EQ(parse_error_body("").size(), 1u);
}

}  // namespace
}  // namespace crmsync::salesforce
