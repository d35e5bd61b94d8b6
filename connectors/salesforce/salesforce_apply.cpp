// SalesforceCrm::apply — writes through sObject Collections: up to 200 records a call (runs of
// bulk_threshold or more records of one kind go through Bulk API 2.0, salesforce_bulk.cpp),
// allOrNone=false so good records commit and bad ones get their own reasons. Records the API
// reports as locked (UNABLE_TO_LOCK_ROW) are resent alone, a few times, with backoff.
#include <simdjson.h>

#include <chrono>
#include <iterator>
#include <thread>

#include "connectors/salesforce/api_error.hpp"
#include "connectors/salesforce/salesforce_crm.hpp"
#include "core/error.hpp"
#include "core/text/json_writer.hpp"

namespace crmsync::salesforce {
namespace {

constexpr std::size_t kCollectionLimit = 200;
constexpr int kLockRetries = 3;

// Operations that can share one collections call: same kind, object, key field, duplicate flag.
bool same_call(const CrmOperation& a, const CrmOperation& b) {
  return a.kind == b.kind && a.object == b.object && a.external_id_field == b.external_id_field
         && a.allow_duplicates == b.allow_duplicates;
}

std::string collection_body(std::span<const CrmOperation> batch) {
  JsonWriter json;
  json.begin_object().key("allOrNone").value(false).key("records").begin_array();
  for (const auto& op : batch) {
    json.begin_object().key("attributes").begin_object().key("type").value(op.object).end_object();
    if (op.kind == CrmOperation::Kind::update) json.key("Id").value(op.id);
    for (const auto& [field, value] : op.values) {
      json.key(field);
      if (value) {
        json.value(*value);
      } else {
        json.null();
      }
    }
    json.end_object();
  }
  json.end_array().end_object();
  return json.take();
}

CrmOperationResult failure_from(const ApiError& error) {
  CrmOperationResult result;
  result.success = false;
  result.code = error.code;
  result.message = plain_reason(error);
  result.fields = error.fields;
  result.duplicate_ids = error.duplicate_ids;
  result.category = category_for(action_for(error));
  return result;
}

}  // namespace

std::vector<CrmOperationResult> SalesforceCrm::apply(std::span<const CrmOperation> operations) {
  return apply_gated(operations, [] {});
}

std::vector<CrmOperationResult> SalesforceCrm::apply_gated(
    std::span<const CrmOperation> operations, const std::function<void()>& before_writing) {
  bool opened = false;
  const std::function<void()> open_once = [&] {
    if (opened) return;
    before_writing();
    opened = true;
  };
  std::vector<CrmOperationResult> results;
  std::size_t start = 0;
  while (start < operations.size()) {
    // A long run of one kind goes through Bulk API 2.0: a handful of calls instead of one per 200.
    std::size_t run = start + 1;
    while (run < operations.size() && same_call(operations[start], operations[run]))
      ++run;
    if (settings_.bulk_threshold > 0
        && run - start >= static_cast<std::size_t>(settings_.bulk_threshold)) {
      auto bulk = apply_bulk(operations.subspan(start, run - start), open_once);
      // Moved: a 100k-record job's results copied were 100k ids allocated and freed again. A
      // job that is the whole apply is its results as they are, not a second 16 MB vector.
      if (results.empty())
        results = std::move(bulk);
      else
        results.insert(results.end(), std::make_move_iterator(bulk.begin()),
                       std::make_move_iterator(bulk.end()));
      start = run;
      continue;
    }
    std::size_t end = start + 1;
    while (end < operations.size() && end - start < kCollectionLimit
           && same_call(operations[start], operations[end]))
      ++end;
    auto batch_results = apply_batch(operations.subspan(start, end - start), open_once);
    // Locked rows: resend only those, a little later (reference §7.4).
    for (int round = 1; round <= kLockRetries; ++round) {
      std::vector<std::size_t> locked;
      for (std::size_t i = 0; i < batch_results.size(); ++i)
        if (!batch_results[i].success && batch_results[i].code == "UNABLE_TO_LOCK_ROW")
          locked.push_back(i);
      if (locked.empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * round));
      std::vector<CrmOperation> again;
      for (const auto i : locked)
        again.push_back(operations[start + i]);
      const auto retried = apply_batch(again, open_once);
      for (std::size_t k = 0; k < locked.size(); ++k)
        batch_results[locked[k]] = retried[k];
    }
    if (results.capacity() < operations.size()) results.reserve(operations.size());
    results.insert(results.end(), std::make_move_iterator(batch_results.begin()),
                   std::make_move_iterator(batch_results.end()));
    start = end;
  }
  return results;
}

std::vector<CrmOperationResult> SalesforceCrm::apply_batch(
    std::span<const CrmOperation> batch, const std::function<void()>& before_writing) {
  const auto& first = batch.front();
  std::string method = "POST";
  std::string path = data_path("composite/sobjects");
  if (first.kind == CrmOperation::Kind::update) method = "PATCH";
  if (first.kind == CrmOperation::Kind::upsert) {
    method = "PATCH";
    path = data_path("composite/sobjects/" + first.object + "/" + first.external_id_field);
  }
  http::Headers headers;
  if (first.allow_duplicates)
    headers.emplace_back("Sforce-Duplicate-Rule-Header", "allowSave=true");
  // Creates are not idempotent: a lost response must be reconciled (outbox), never resent blindly.
  const bool idempotent = first.kind != CrmOperation::Kind::create;
  before_writing();
  const auto response =
      call(method, path, collection_body(batch), "collections", idempotent, headers);

  std::vector<CrmOperationResult> results;
  if (response.status != 200) {
    // The whole call was refused (malformed, permissions): every record shares the reason.
    const auto error = parse_error_body(response.body).front();
    if (category_for(action_for(error)) == ErrorCategory::transient || response.status >= 500)
      throw Error(ErrorCategory::transient,
                  "collections call failed: " + error.code + ": " + error.message);
    for (std::size_t i = 0; i < batch.size(); ++i)
      results.push_back(failure_from(error));
    return results;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::array items;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS
      || root.get_array().get(items) != simdjson::SUCCESS || items.size() != batch.size())
    throw Error(ErrorCategory::transient,
                "collections call: the response does not list one "
                "result per record");
  for (auto item : items) {
    bool success = false;
    if (item["success"].get_bool().get(success) != simdjson::SUCCESS) success = false;
    if (success) {
      CrmOperationResult result;
      result.success = true;
      std::string_view id;
      if (item["id"].get_string().get(id) == simdjson::SUCCESS) result.id = std::string(id);
      bool created = first.kind == CrmOperation::Kind::create;
      if (item["created"].get_bool().get(created) != simdjson::SUCCESS)
        created = first.kind == CrmOperation::Kind::create;
      result.created = created;
      results.push_back(std::move(result));
      continue;
    }
    simdjson::dom::array errors;
    simdjson::dom::object error_object;
    if (item["errors"].get_array().get(errors) == simdjson::SUCCESS && errors.size() > 0
        && errors.at(0).get_object().get(error_object) == simdjson::SUCCESS) {
      results.push_back(failure_from(parse_error_body(simdjson::minify(error_object)).front()));
    } else {
      results.push_back(
          failure_from({"UNKNOWN", "the CRM refused the record without a reason", {}, {}}));
    }
  }
  return results;
}

}  // namespace crmsync::salesforce
