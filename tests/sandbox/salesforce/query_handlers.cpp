// GET /query?q=, /queryAll?q= and the nextRecordsUrl cursors (reference §3).
#include <algorithm>

#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

constexpr std::size_t kMaxBatch = 2000;
constexpr std::size_t kMinBatch = 200;

// Sforce-Query-Options: batchSize=N (200..2000; out-of-range values are clamped like the org).
std::size_t batch_size(const http::Request& request) {
  const auto options = request.header("sforce-query-options");
  if (!options) return kMaxBatch;
  const auto pos = options->find("batchSize=");
  if (pos == std::string_view::npos) return kMaxBatch;
  const std::size_t value =
      std::strtoull(std::string(options->substr(pos + 10)).c_str(), nullptr, 10);
  return std::clamp(value, kMinBatch, kMaxBatch);
}

http::Response write_page(Org& org, const std::string& version, const std::string& locator,
                          QueryCursor& cursor, std::size_t offset) {
  json::Writer out;
  out.begin_object();
  out.field("totalSize", static_cast<std::int64_t>(cursor.ids.size()));
  const std::size_t end = std::min(cursor.ids.size(), offset + cursor.batch_size);
  const bool done = end >= cursor.ids.size();
  out.field("done", done);
  if (!done) {
    out.field("nextRecordsUrl",
              "/services/data/v" + version + "/query/" + locator + "-" + std::to_string(end));
  }
  out.key("records").begin_array();
  if (!cursor.query->query.count_only) {
    for (std::size_t i = offset; i < end; ++i) {
      // A record hard-removed by /__sandbox/reset since the first page is skipped.
      if (const Record* record = org.store.find(cursor.ids[i])) {
        soql::write_result_record(out, *cursor.query, org.store, *record, version);
      }
    }
  }
  out.end_array();
  out.end_object();
  return http::Response::json(200, out.take());
}

}  // namespace

http::Response handle_query(Org& org, const ApiRequest& request, bool include_deleted) {
  if (request.http.method != "GET") {
    return error_response(
        405, "METHOD_NOT_ALLOWED",
        "HTTP Method '" + request.http.method + "' not allowed. Allowed are GET,HEAD");
  }
  const auto statement = request.http.query_param("q");
  if (!statement) {
    return error_response(400, "MALFORMED_QUERY", "A query string must be provided.");
  }
  std::shared_ptr<const soql::PreparedQuery> prepared;
  try {
    prepared = soql::prepare(org.schema, std::string(*statement));
  } catch (const soql::QueryError& error) {
    return error_response(400, error.code(), error.what());
  }
  QueryCursor cursor;
  cursor.query = prepared;
  cursor.include_deleted = include_deleted;
  cursor.batch_size = batch_size(request.http);
  for (const Record* record : soql::execute(*prepared, org.store, include_deleted))
    cursor.ids.push_back(record->id);
  if (prepared->query.count_only) {
    return write_page(org, request.version, "", cursor, cursor.ids.size());
  }
  if (cursor.ids.size() <= cursor.batch_size)
    return write_page(org, request.version, "", cursor, 0);
  const std::string locator = make_id("01g", org.next_secret++);
  auto& stored = org.cursors[locator] = std::move(cursor);
  return write_page(org, request.version, locator, stored, 0);
}

http::Response handle_query_more(Org& org, const ApiRequest& request,
                                 const std::string& locator_path) {
  const auto dash = locator_path.rfind('-');
  const std::string locator = locator_path.substr(0, dash);
  const auto it = org.cursors.find(locator);
  std::size_t offset = 0;
  if (dash != std::string::npos) {
    const std::string number = locator_path.substr(dash + 1);
    char* end = nullptr;
    offset = std::strtoull(number.c_str(), &end, 10);
    if (number.empty() || *end != '\0') offset = SIZE_MAX;
  }
  if (it == org.cursors.end() || dash == std::string::npos || offset > it->second.ids.size()) {
    return error_response(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
  }
  return write_page(org, request.version, locator, it->second, offset);
}

}  // namespace sandbox::salesforce
