// Bulk API 2.0 ingest resources (reference §6.1-6.5): create job, PUT CSV batches, PATCH state,
// job info (each poll advances UploadComplete -> InProgress -> JobComplete), result CSVs, delete,
// list.
#include <set>

#include "json/json_writer.hpp"
#include "salesforce/bulk_ingest_processor.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

http::Response method_not_allowed(const std::string& method, const char* allowed) {
  return error_response(405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + method + "' not allowed. Allowed are " + allowed);
}

http::Response invalid_job(const std::string& message) {
  return error_response(400, "INVALIDJOB", message);
}

http::Response job_json(const IngestJob& job, JobInfoView view) {
  json::Writer out;
  write_ingest_info(out, job, view);
  return http::Response::json(200, out.take());
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
  IngestJob job;
  job.object = text("object");
  job.operation = text("operation");
  job.external_id_field = text("externalIdFieldName");
  const ObjectDef* object = org.schema.find(job.object);
  if (job.object.empty()) return invalid_job("The object field is required");
  if (object == nullptr) {
    return error_response(400, "INVALIDENTITY",
                          "Entity '" + job.object + "' is not supported by the Bulk API.");
  }
  job.object = object->name;
  static const std::set<std::string> kOperations = {"insert", "update", "upsert", "delete",
                                                    "hardDelete"};
  if (kOperations.count(job.operation) == 0) {
    return invalid_job("InvalidJob : Invalid operation: '" + job.operation
                       + "'. Allowed are insert, update, upsert, delete, hardDelete");
  }
  if (job.operation == "upsert") {
    if (job.external_id_field.empty()) {
      return invalid_job("InvalidJob : External ID was blank for " + job.object
                         + ". An External ID must be specified for upsert.");
    }
    const FieldDef* key = upsert_key(*object, job.external_id_field);
    if (key == nullptr) {
      return invalid_job("InvalidJob : Field name provided, " + job.external_id_field
                         + " does not match an External ID, Salesforce Id, or indexed field for "
                         + job.object);
    }
    job.external_id_field = key->name;
  } else {
    job.external_id_field.clear();
  }
  if (const std::string type = text("contentType"); !type.empty() && type != "CSV")
    return invalid_job("InvalidJob : Unsupported contentType: " + type + ". Only CSV is supported");
  if (const std::string ending = text("lineEnding"); !ending.empty()) {
    if (ending != "LF" && ending != "CRLF")
      return invalid_job("InvalidJob : Unsupported lineEnding: " + ending);
    job.line_ending = ending;
  }
  if (const std::string delimiter = text("columnDelimiter"); !delimiter.empty()) {
    if (delimiter_char(delimiter) == '\0')
      return invalid_job("InvalidJob : Unsupported columnDelimiter: " + delimiter);
    job.column_delimiter = delimiter;
  }
  job.id = make_id("750", org.next_secret++);
  job.state = "Open";
  job.api_version = request.version;
  job.created_by = org.integration_user_id;
  job.created_date = now_datetime();
  job.system_modstamp = job.created_date;
  auto& stored = org.ingest_jobs[job.id] = std::move(job);
  return job_json(stored, JobInfoView::Created);
}

http::Response upload(const ApiRequest& request, IngestJob& job) {
  if (request.http.method != "PUT") return method_not_allowed(request.http.method, "PUT");
  const auto type = request.http.header("content-type");
  if (!type || type->find("text/csv") == std::string_view::npos) {
    return error_response(
        415, "UNSUPPORTED_MEDIA_TYPE",
        "Content type '" + std::string(type.value_or("")) + "' not supported; use text/csv");
  }
  if (job.state != "Open") {
    return error_response(409, "INVALIDJOBSTATE",
                          "Unable to upload data: the job is in state " + job.state
                              + " and data can only be uploaded while it is Open");
  }
  job.uploads.push_back(request.http.body);
  return http::Response::empty(201);
}

http::Response change_state(Org& org, const ApiRequest& request, IngestJob& job) {
  simdjson::dom::parser parser;
  http::Response failure;
  const auto root = parse_json_body(parser, request.http, failure);
  if (!root) return failure;
  std::string_view wanted;
  if (root->at_key("state").get_string().get(wanted) != simdjson::SUCCESS)
    return json_parser_error("Cannot deserialize instance of JobInfo: state is required");
  if (wanted == "UploadComplete") {
    if (job.state != "Open") {
      return error_response(400, "INVALIDJOBSTATE",
                            "Job state " + job.state + " cannot change to UploadComplete");
    }
    job.state = "UploadComplete";
  } else if (wanted == "Aborted") {
    if (job.terminal()) {
      return error_response(400, "INVALIDJOBSTATE",
                            "Aborting already "
                                + std::string(job.state == "JobComplete" ? "Completed" : job.state)
                                + " Job not allowed");
    }
    for (const auto& upload : job.uploads)
      job.unprocessed_csv += upload;
    job.uploads.clear();
    job.state = "Aborted";
  } else {
    return error_response(
        400, "INVALIDJOBSTATE",
        "Invalid state: " + std::string(wanted) + ". Allowed are UploadComplete, Aborted");
  }
  job.system_modstamp = now_datetime();
  (void)org;
  return job_json(job, JobInfoView::StateChange);
}

// Each poll moves a submitted job one step, so clients always see it InProgress once.
void advance(Org& org, IngestJob& job) {
  if (job.state == "UploadComplete") {
    run_ingest_job(org, job);
    job.state = "InProgress";
  } else if (job.state == "InProgress") {
    job.state = job.final_state;
  } else {
    return;
  }
  job.system_modstamp = now_datetime();
}

http::Response results(const IngestJob& job, const std::string& kind) {
  const std::string* csv = nullptr;
  if (kind == "successfulResults") csv = &job.successful_csv;
  if (kind == "failedResults") csv = &job.failed_csv;
  if (kind == "unprocessedrecords") csv = &job.unprocessed_csv;
  if (csv == nullptr) return not_found();
  return http::Response::text(200, "text/csv", *csv);
}

}  // namespace

http::Response handle_bulk_ingest(Org& org, const ApiRequest& request) {
  // segments: jobs, ingest[, jobId[, batches | successfulResults | ...]]
  const auto& segments = request.segments;
  const std::string& method = request.http.method;
  if (segments.size() == 2) {
    if (method == "POST") return create_job(org, request);
    if (method == "GET")
      return http::Response::json(200, job_list_json(org.ingest_jobs, write_ingest_info));
    return method_not_allowed(method, "GET,POST");
  }
  const auto id = canonical_id(segments[2]);
  const auto it = id ? org.ingest_jobs.find(*id) : org.ingest_jobs.end();
  if (it == org.ingest_jobs.end()) return not_found();
  IngestJob& job = it->second;
  if (segments.size() == 4) {
    if (segments[3] == "batches") return upload(request, job);
    if (method != "GET") return method_not_allowed(method, "GET");
    return results(job, segments[3]);
  }
  if (segments.size() != 3) return not_found();
  if (method == "GET") {
    advance(org, job);
    return job_json(job, JobInfoView::Full);
  }
  if (method == "PATCH") return change_state(org, request, job);
  if (method == "DELETE") {
    if (!job.terminal()) {
      return error_response(400, "API_ERROR",
                            "Error encountered when deleting the job because the job is not "
                            "terminated");
    }
    org.ingest_jobs.erase(it);
    return http::Response::empty(204);
  }
  return method_not_allowed(method, "GET,PATCH,DELETE");
}

}  // namespace sandbox::salesforce
