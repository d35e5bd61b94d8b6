// Bulk API 2.0 jobs (reference §6): ingest and query jobs, their JobInfo JSON and the state
// machine. Processing is asynchronous the way clients see it: after UploadComplete (ingest) or
// creation (query), each GET of the job advances it one state — UploadComplete -> InProgress ->
// JobComplete — so every client polls at least once while the job is InProgress.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_writer.hpp"

namespace sandbox::salesforce {

namespace soql {
struct PreparedQuery;
}

struct BulkJob {
  std::string id;  // 750..., 18 chars
  std::string object;
  std::string operation;  // insert update upsert delete hardDelete | query queryAll
  std::string state;      // Open UploadComplete InProgress JobComplete Failed Aborted
  std::string api_version;
  std::string created_by;
  std::string created_date;
  std::string system_modstamp;
  std::string line_ending = "LF";
  std::string column_delimiter = "COMMA";
  std::string error_message;
  std::string final_state;  // where an InProgress job goes on its next poll
  std::int64_t processed = 0;
  std::int64_t failed = 0;
  std::int64_t processing_ms = 0;

  [[nodiscard]] bool terminal() const {
    return state == "JobComplete" || state == "Failed" || state == "Aborted";
  }
};

struct IngestJob : BulkJob {
  std::string external_id_field;
  std::vector<std::string> uploads;  // CSV bodies in PUT order
  std::string successful_csv;
  std::string failed_csv;
  std::string unprocessed_csv;
};

struct QueryJob : BulkJob {
  std::string query;
  std::shared_ptr<const soql::PreparedQuery> prepared;
  std::vector<std::string> ids;  // the result rows, fixed when the job runs
};

// COMMA -> ',', TAB -> '\t', ...; '\0' for an unknown name.
char delimiter_char(std::string_view name);

enum class JobInfoView { Created, StateChange, Full };
// The JobInfo object as create, PATCH and GET return it (reference §6.2, §6.4, §6.7).
void write_ingest_info(json::Writer& out, const IngestJob& job, JobInfoView view);
void write_query_info(json::Writer& out, const QueryJob& job, JobInfoView view);

// GET of jobs/ingest or jobs/query: every job of its kind, as one page.
template <typename Jobs, typename WriteInfo>
std::string job_list_json(const Jobs& jobs, WriteInfo write_info) {
  json::Writer out;
  out.begin_object();
  out.field("done", true);
  out.key("records").begin_array();
  for (const auto& [id, job] : jobs)
    write_info(out, job, JobInfoView::Full);
  out.end_array();
  out.key("nextRecordsUrl").null();
  out.end_object();
  return out.take();
}

}  // namespace sandbox::salesforce
