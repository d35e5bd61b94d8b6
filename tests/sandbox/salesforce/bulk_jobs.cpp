#include "salesforce/bulk_jobs.hpp"

#include <cstdlib>

namespace sandbox::salesforce {
namespace {

void write_head(json::Writer& out, const BulkJob& job) {
  out.field("id", job.id);
  out.field("operation", job.operation);
  out.field("object", job.object);
  out.field("createdById", job.created_by);
  out.field("createdDate", job.created_date);
  out.field("systemModstamp", job.system_modstamp);
  out.field("state", job.state);
}

void write_format(json::Writer& out, const BulkJob& job) {
  out.field("concurrencyMode", "Parallel");
  out.field("contentType", "CSV");
  out.key("apiVersion").decimal(std::strtod(job.api_version.c_str(), nullptr));
}

void write_counters(json::Writer& out, const BulkJob& job, bool with_failed) {
  out.field("numberRecordsProcessed", job.processed);
  if (with_failed) out.field("numberRecordsFailed", job.failed);
  out.field("retries", 0);
  out.field("totalProcessingTime", job.processing_ms);
  out.field("apiActiveProcessingTime", job.processing_ms);
  out.field("apexProcessingTime", static_cast<std::int64_t>(0));
}

}  // namespace

char delimiter_char(std::string_view name) {
  if (name == "COMMA") return ',';
  if (name == "TAB") return '\t';
  if (name == "PIPE") return '|';
  if (name == "SEMICOLON") return ';';
  if (name == "CARET") return '^';
  if (name == "BACKQUOTE") return '`';
  return '\0';
}

void write_ingest_info(json::Writer& out, const IngestJob& job, JobInfoView view) {
  out.begin_object();
  write_head(out, job);
  if (!job.external_id_field.empty()) out.field("externalIdFieldName", job.external_id_field);
  write_format(out, job);
  if (view == JobInfoView::Full) out.field("jobType", "V2Ingest");
  if (view != JobInfoView::StateChange && job.state == "Open") {
    out.field("contentUrl",
              "services/data/v" + job.api_version + "/jobs/ingest/" + job.id + "/batches");
  }
  out.field("lineEnding", job.line_ending);
  out.field("columnDelimiter", job.column_delimiter);
  if (view == JobInfoView::Full) {
    write_counters(out, job, true);
    if (!job.error_message.empty()) out.field("errorMessage", job.error_message);
  }
  out.end_object();
}

void write_query_info(json::Writer& out, const QueryJob& job, JobInfoView view) {
  out.begin_object();
  write_head(out, job);
  write_format(out, job);
  if (view == JobInfoView::Full) out.field("jobType", "V2Query");
  out.field("lineEnding", job.line_ending);
  out.field("columnDelimiter", job.column_delimiter);
  if (view == JobInfoView::Full) {
    write_counters(out, job, false);
    out.field("isPkChunkingSupported", true);
    if (!job.error_message.empty()) out.field("errorMessage", job.error_message);
  }
  out.end_object();
}

}  // namespace sandbox::salesforce
