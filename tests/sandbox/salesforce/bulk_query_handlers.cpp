// Bulk API 2.0 query jobs (reference §6.7): create (query | queryAll), job info (each poll
// advances UploadComplete -> InProgress -> JobComplete), results as all-quoted CSV paged with
// Sforce-Locator / Sforce-NumberOfRecords and maxRecords, abort, delete, list.
#include <algorithm>
#include <cstdlib>

#include "json/json_writer.hpp"
#include "salesforce/csv.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

// Without maxRecords the org picks the chunk size; 50,000 is what clients commonly ask for.
constexpr std::size_t kDefaultChunk = 50000;

http::Response method_not_allowed(const std::string& method, const char* allowed) {
  return error_response(405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + method + "' not allowed. Allowed are " + allowed);
}

http::Response job_json(const QueryJob& job, JobInfoView view) {
  json::Writer out;
  write_query_info(out, job, view);
  return http::Response::json(200, out.take());
}

// Locators are opaque to clients; this one is the base64 of the next row offset, unpadded.
std::string encode_locator(std::size_t offset) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string text = std::to_string(offset);
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 3) {
    std::uint32_t chunk = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) chunk |= static_cast<unsigned char>(text[i + 1]) << 8;
    if (i + 2 < text.size()) chunk |= static_cast<unsigned char>(text[i + 2]);
    const std::size_t produce = std::min<std::size_t>(4, text.size() - i + 1);
    for (std::size_t j = 0; j < produce; ++j)
      out.push_back(kAlphabet[(chunk >> (18 - 6 * j)) & 0x3F]);
  }
  return out;
}

std::optional<std::size_t> decode_locator(std::string_view locator) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : locator) {
    const auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      text.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  if (text.empty()
      || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::strtoull(text.c_str(), nullptr, 10);
}

http::Response create_job(Org& org, const ApiRequest& request) {
  simdjson::dom::parser parser;
  http::Response failure;
  const auto root = parse_json_body(parser, request.http, failure);
  if (!root) return failure;
  if (!root->is_object()) return json_parser_error("Cannot deserialize instance of JobInfo");
  const auto text = [&](const char* key) {
    std::string_view value;
    return root->at_key(key).get_string().get(value) == simdjson::SUCCESS ? std::string(value)
                                                                          : std::string();
  };
  QueryJob job;
  job.operation = text("operation");
  job.query = text("query");
  if (job.operation != "query" && job.operation != "queryAll") {
    return error_response(
        400, "INVALIDJOB",
        "InvalidJob : Invalid operation: '" + job.operation + "'. Allowed are query, queryAll");
  }
  if (job.query.empty()) return error_response(400, "INVALIDJOB", "InvalidJob : query is required");
  try {
    job.prepared = soql::prepare(org.schema, job.query);
  } catch (const soql::QueryError& error) {
    return error_response(400, error.code(), error.what());
  }
  if (job.prepared->query.count_only)
    return error_response(400, "API_ERROR", "Aggregate queries are not supported by Bulk Query");
  if (const std::string ending = text("lineEnding"); !ending.empty()) {
    if (ending != "LF" && ending != "CRLF")
      return error_response(400, "INVALIDJOB", "InvalidJob : Unsupported lineEnding: " + ending);
    job.line_ending = ending;
  }
  if (const std::string delimiter = text("columnDelimiter"); !delimiter.empty()) {
    if (delimiter_char(delimiter) == '\0') {
      return error_response(400, "INVALIDJOB",
                            "InvalidJob : Unsupported columnDelimiter: " + delimiter);
    }
    job.column_delimiter = delimiter;
  }
  job.object = job.prepared->object->name;
  job.id = make_id("750", org.next_secret++);
  job.state = "UploadComplete";
  job.api_version = request.version;
  job.created_by = org.integration_user_id;
  job.created_date = now_datetime();
  job.system_modstamp = job.created_date;
  auto& stored = org.query_jobs[job.id] = std::move(job);
  return job_json(stored, JobInfoView::Created);
}

void advance(Org& org, QueryJob& job) {
  if (job.state == "UploadComplete") {
    for (const Record* record :
         soql::execute(*job.prepared, org.store, job.operation == "queryAll"))
      job.ids.push_back(record->id);
    job.processed = static_cast<std::int64_t>(job.ids.size());
    job.state = "InProgress";
  } else if (job.state == "InProgress") {
    job.state = "JobComplete";
  } else {
    return;
  }
  job.system_modstamp = now_datetime();
}

void append_row(std::string& out, const QueryJob& job, RecordStore& store, const Record& record,
                char delimiter) {
  bool first = true;
  const auto cell = [&](const FieldDef& field, const Record* source) {
    if (!first) out.push_back(delimiter);
    first = false;
    const Value* value = source != nullptr ? source->get(field) : nullptr;
    append_quoted(out, value != nullptr && !is_null(*value) ? value_text(field, *value) : "");
  };
  for (const auto& column : job.prepared->columns) {
    if (column.field != nullptr) {
      cell(*column.field, &record);
      continue;
    }
    const Value* parent_id = record.get(*column.reference);
    const Record* parent = parent_id != nullptr && std::holds_alternative<std::string>(*parent_id)
                               ? store.find(std::get<std::string>(*parent_id))
                               : nullptr;
    for (const FieldDef* field : column.parent_fields)
      cell(*field, parent);
  }
}

http::Response results(Org& org, const ApiRequest& request, const QueryJob& job) {
  if (job.state != "JobComplete") {
    return error_response(
        400, "API_ERROR",
        "Error encountered when getting the results: the job is in state " + job.state);
  }
  if (request.version != job.api_version) {
    return error_response(409, "API_ERROR",
                          "Results must be retrieved with the API version the job was created "
                          "with: "
                              + job.api_version);
  }
  std::size_t offset = 0;
  if (const auto locator = request.http.query_param("locator"); locator && !locator->empty()) {
    const auto decoded = decode_locator(*locator);
    if (!decoded || *decoded > job.ids.size())
      return error_response(400, "INVALID_LOCATOR", "Invalid locator: " + std::string(*locator));
    offset = *decoded;
  }
  std::size_t chunk = kDefaultChunk;
  if (const auto max = request.http.query_param("maxRecords"); max && !max->empty()) {
    const long long value = std::strtoll(std::string(*max).c_str(), nullptr, 10);
    if (value <= 0)
      return error_response(400, "INVALID_FIELD", "maxRecords must be a positive integer");
    chunk = static_cast<std::size_t>(value);
  }
  const char delimiter = delimiter_char(job.column_delimiter);
  const std::string newline = job.line_ending == "CRLF" ? "\r\n" : "\n";
  std::string body;
  bool first = true;
  for (const auto& column : job.prepared->columns) {
    const auto name = [&](const std::string& text) {
      if (!first) body.push_back(delimiter);
      first = false;
      append_quoted(body, text);
    };
    if (column.field != nullptr) {
      name(column.field->name);
    } else {
      for (const FieldDef* field : column.parent_fields)
        name(column.reference->relationship_name + "." + field->name);
    }
  }
  body += newline;
  const std::size_t end = std::min(job.ids.size(), offset + chunk);
  std::size_t written = 0;
  for (std::size_t i = offset; i < end; ++i) {
    const Record* record = org.store.find(job.ids[i]);
    if (record == nullptr) continue;  // hard-deleted since the job ran
    append_row(body, job, org.store, *record, delimiter);
    body += newline;
    ++written;
  }
  http::Response response = http::Response::text(200, "text/csv", std::move(body));
  response.headers.emplace_back("Sforce-Locator",
                                end < job.ids.size() ? encode_locator(end) : "null");
  response.headers.emplace_back("Sforce-NumberOfRecords", std::to_string(written));
  return response;
}

http::Response change_state(const ApiRequest& request, QueryJob& job) {
  simdjson::dom::parser parser;
  http::Response failure;
  const auto root = parse_json_body(parser, request.http, failure);
  if (!root) return failure;
  std::string_view wanted;
  if (root->at_key("state").get_string().get(wanted) != simdjson::SUCCESS || wanted != "Aborted")
    return error_response(400, "INVALIDJOBSTATE", "Only the state Aborted can be set");
  if (job.terminal()) {
    return error_response(400, "INVALIDJOBSTATE",
                          "Aborting already "
                              + std::string(job.state == "JobComplete" ? "Completed" : job.state)
                              + " Job not allowed");
  }
  job.state = "Aborted";
  job.system_modstamp = now_datetime();
  return job_json(job, JobInfoView::StateChange);
}

}  // namespace

http::Response handle_bulk_query(Org& org, const ApiRequest& request) {
  // segments: jobs, query[, jobId[, results]]
  const auto& segments = request.segments;
  const std::string& method = request.http.method;
  if (segments.size() == 2) {
    if (method == "POST") return create_job(org, request);
    if (method == "GET")
      return http::Response::json(200, job_list_json(org.query_jobs, write_query_info));
    return method_not_allowed(method, "GET,POST");
  }
  const auto id = canonical_id(segments[2]);
  const auto it = id ? org.query_jobs.find(*id) : org.query_jobs.end();
  if (it == org.query_jobs.end()) return not_found();
  QueryJob& job = it->second;
  if (segments.size() == 4 && segments[3] == "results") {
    if (method != "GET") return method_not_allowed(method, "GET");
    return results(org, request, job);
  }
  if (segments.size() != 3) return not_found();
  if (method == "GET") {
    advance(org, job);
    return job_json(job, JobInfoView::Full);
  }
  if (method == "PATCH") return change_state(request, job);
  if (method == "DELETE") {
    if (!job.terminal()) {
      return error_response(400, "API_ERROR",
                            "Error encountered when deleting the job because the job is not "
                            "terminated");
    }
    org.query_jobs.erase(it);
    return http::Response::empty(204);
  }
  return method_not_allowed(method, "GET,PATCH,DELETE");
}

}  // namespace sandbox::salesforce
