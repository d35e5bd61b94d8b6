// SalesforceCrm::apply_bulk — large groups of writes through one Bulk API 2.0 ingest job: create
// the job, upload one CSV, mark it UploadComplete, poll until it is done, then read the
// successful, failed and (for failed jobs) unprocessed records back. About seven calls for any
// number of records, where sObject Collections would spend one per 200.
//
// Result rows come back in no particular order (reference §6.5): each is matched to its operation
// by the columns it echoes (bulk_result_matcher.hpp).
#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>
#include <optional>
#include <span>
#include <thread>

#include "connectors/salesforce/api_error.hpp"
#include "connectors/salesforce/bulk_csv.hpp"
#include "connectors/salesforce/bulk_job.hpp"
#include "connectors/salesforce/bulk_result_matcher.hpp"
#include "connectors/salesforce/bulk_upload.hpp"
#include "connectors/salesforce/salesforce_crm.hpp"
#include "core/error.hpp"
#include "core/text/json_writer.hpp"

namespace crmsync::salesforce {
namespace {

constexpr auto kLongestWait = std::chrono::minutes(30);

std::string_view operation_name(CrmOperation::Kind kind) {
  switch (kind) {
    case CrmOperation::Kind::create:
      return "insert";
    case CrmOperation::Kind::update:
      return "update";
    case CrmOperation::Kind::upsert:
      return "upsert";
  }
  return "insert";
}

// "UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--" or
// "REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --".
ApiError parse_bulk_error(std::string_view text) {
  ApiError error;
  if (text.ends_with("--")) text.remove_suffix(2);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  const auto code_end = text.find(':');
  error.code = std::string(text.substr(0, code_end));
  if (code_end == std::string_view::npos) return error;
  auto rest = text.substr(code_end + 1);
  const auto fields_at = rest.rfind(':');
  std::string_view fields;
  if (fields_at != std::string_view::npos) {
    fields = rest.substr(fields_at + 1);
    rest = rest.substr(0, fields_at);
  }
  error.message = std::string(rest);
  while (!fields.empty()) {
    const auto comma = fields.find(',');
    if (auto name = fields.substr(0, comma); !name.empty()) error.fields.emplace_back(name);
    fields = comma == std::string_view::npos ? std::string_view() : fields.substr(comma + 1);
  }
  return error;
}

// Where a result file has the columns crmsync reads; the size of the header when it has not.
struct Columns {
  std::size_t id, created, error;
};

// One result row, read through its file's columns.
struct Cells {
  const Columns& columns;
  std::span<const std::string_view> row;
  std::string_view at(std::size_t column) const {
    return column < row.size() ? row[column] : std::string_view();
  }
  std::string id() const { return std::string(at(columns.id)); }
  std::string_view created() const { return at(columns.created); }
  std::string_view error() const { return at(columns.error); }
};

CrmOperationResult failure(const ApiError& error) {
  CrmOperationResult result;
  result.code = error.code;
  result.message = plain_reason(error);
  result.fields = error.fields;
  result.category = category_for(action_for(error));
  return result;
}

}  // namespace

std::vector<CrmOperationResult> SalesforceCrm::apply_bulk(
    std::span<const CrmOperation> group, const std::function<void()>& before_writing) {
  const auto& first = group.front();
  const BulkUpload upload(group);
  const auto& columns = upload.columns();
  std::string csv = upload.csv();
  BulkResultMatcher matcher(
      group.size(), first.kind,
      static_cast<std::size_t>(std::find(columns.begin(), columns.end(), first.external_id_field)
                               - columns.begin()),
      [&](std::size_t i, std::vector<std::string_view>& out) { upload.cells(i, out); });

  JsonWriter job;
  job.begin_object().key("object").value(first.object);
  job.key("operation").value(operation_name(first.kind));
  if (first.kind == CrmOperation::Kind::upsert)
    job.key("externalIdFieldName").value(first.external_id_field);
  job.key("contentType").value("CSV").key("lineEnding").value("LF").end_object();
  // Creating a job changes nothing until data is uploaded: safe to retry.
  const auto created = call("POST", data_path("jobs/ingest"), job.take(), "bulk", true);
  if (created.status != 200 && created.status != 201) throw_job_error(created, "create job");
  const auto id = job_field(created.body, "id");
  if (id.empty()) throw Error(ErrorCategory::transient, "Bulk API create job: no job id");
  const auto job_path = data_path("jobs/ingest/" + id);

  const auto uploaded = call("PUT", job_path + "/batches", std::move(csv), "bulk", false,
                             {{"Content-Type", "text/csv"}});
  if (uploaded.status != 201) throw_job_error(uploaded, "upload");
  // Until UploadComplete the job is only data waiting: nothing is written if it stops here.
  before_writing();
  const auto complete = call("PATCH", job_path, R"({"state":"UploadComplete"})", "bulk", true);
  if (complete.status != 200) throw_job_error(complete, "upload complete");

  // Room for every result, made while the CRM runs the job rather than after (100k results
  // are 16 MB touched for the first time).
  std::vector<CrmOperationResult> results(group.size());
  std::vector<bool> answered(group.size(), false);

  // Poll, each wait longer than the last: a few calls for a small job, few more for a large one.
  std::string state;
  std::string info;
  auto wait = std::chrono::milliseconds(50);
  const auto deadline = std::chrono::steady_clock::now() + kLongestWait;
  for (;;) {
    const auto polled = call("GET", job_path, "", "bulk", true);
    if (polled.status != 200) throw_job_error(polled, "job info");
    info = polled.body;
    state = job_field(info, "state");
    if (state == "JobComplete" || state == "Failed" || state == "Aborted") break;
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(ErrorCategory::transient,
                  fmt::format("Bulk API job {} still {} after 30 minutes", id, state));
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(5000));
  }

  auto read_results = [&](const char* which, auto&& on_row) {
    const auto response =
        call("GET", job_path + "/" + which + "/", "", "bulk", true, {{"Accept", "text/csv"}});
    if (response.status != 200) throw_job_error(response, which);
    // The header first: where the echoed columns and the result columns crmsync reads are.
    std::vector<int> position(columns.size(), -1);
    std::optional<Columns> wanted;
    std::vector<std::string_view> echoed;
    for_each_csv_row(response.body, [&](std::span<const std::string_view> row) {
      if (!wanted) {
        for (std::size_t c = 0; c < columns.size(); ++c)
          for (std::size_t h = 0; h < row.size(); ++h)
            if (row[h] == columns[c]) position[c] = static_cast<int>(h);
        auto column = [&](std::string_view name) {
          const auto at = std::find(row.begin(), row.end(), name);
          return static_cast<std::size_t>(at - row.begin());
        };
        wanted = Columns{column("sf__Id"), column("sf__Created"), column("sf__Error")};
        return;
      }
      echoed.clear();
      for (const int p : position)
        echoed.push_back(p >= 0 && static_cast<std::size_t>(p) < row.size() ? row[p]
                                                                            : std::string_view());
      const auto i = matcher.take(echoed);
      if (!i) return;
      answered[*i] = true;
      on_row(Cells{*wanted, row}, results[*i]);
    });
  };
  read_results("successfulResults", [&](const Cells& row, auto& result) {
    result.success = true;
    result.id = row.id();
    result.created = row.created() == "true";
  });
  // The job info counts failures: when it says none, the failed-results call is not spent.
  std::int64_t failed = -1;
  {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(info).get(root) != simdjson::SUCCESS
        || root["numberRecordsFailed"].get_int64().get(failed) != simdjson::SUCCESS)
      failed = -1;
  }
  if (state != "JobComplete" || failed != 0)
    read_results("failedResults", [&](const Cells& row, auto& result) {
      result = failure(parse_bulk_error(row.error()));
    });
  if (state != "JobComplete")
    read_results("unprocessedrecords", [&](const Cells&, auto& result) {
      result = failure({"BULK_JOB_" + state, "the job stopped before this record", {}, {}});
      result.category = ErrorCategory::transient;
    });
  for (std::size_t i = 0; i < group.size(); ++i)
    if (!answered[i]) {
      results[i] = failure(
          {"BULK_NO_RESULT",
           fmt::format("Bulk API job {} ({}) returned no result for this record", id, state),
           {},
           {}});
      results[i].category = ErrorCategory::transient;
    }
  return results;
}

}  // namespace crmsync::salesforce
