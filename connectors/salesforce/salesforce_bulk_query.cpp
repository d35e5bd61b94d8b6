// SalesforceCrm::query_bulk — a large read as one Bulk API 2.0 query job: create it, poll until it
// is done, then read the CSV results page by page (Sforce-Locator, the literal "null" at the end).
// Parent fields come back as "Account.Name" columns, as the REST reader flattens them; an empty
// cell is null, as Bulk writes nulls.
#include <fmt/format.h>
#include <simdjson.h>

#include <chrono>
#include <thread>

#include "connectors/salesforce/api_error.hpp"
#include "connectors/salesforce/bulk_csv.hpp"
#include "connectors/salesforce/bulk_job.hpp"
#include "connectors/salesforce/salesforce_crm.hpp"
#include "core/error.hpp"
#include "core/text/json_writer.hpp"

namespace crmsync::salesforce {
namespace {

constexpr auto kLongestWait = std::chrono::minutes(30);

}  // namespace

std::size_t SalesforceCrm::query_bulk(const std::string& soql, bool include_deleted,
                                      const std::function<void(const CrmValues&)>& out) {
  JsonWriter job;
  job.begin_object().key("operation").value(include_deleted ? "queryAll" : "query");
  job.key("query").value(soql).end_object();
  const auto created = call("POST", data_path("jobs/query"), job.take(), "bulk", true);
  if (created.status != 200 && created.status != 201) throw_job_error(created, "query create job");
  const auto id = job_field(created.body, "id");
  if (id.empty()) throw Error(ErrorCategory::transient, "Bulk API query: no job id");
  const auto job_path = data_path("jobs/query/" + id);

  auto wait = std::chrono::milliseconds(50);
  const auto deadline = std::chrono::steady_clock::now() + kLongestWait;
  for (;;) {
    const auto polled = call("GET", job_path, "", "bulk", true);
    if (polled.status != 200) throw_job_error(polled, "query job info");
    const auto state = job_field(polled.body, "state");
    if (state == "JobComplete") break;
    if (state == "Failed" || state == "Aborted")
      throw Error(ErrorCategory::transient, fmt::format("Bulk API query job {} {}: {}", id, state,
                                                        job_field(polled.body, "errorMessage")));
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(ErrorCategory::transient,
                  fmt::format("Bulk API query job {} still {} after 30 minutes", id, state));
    std::this_thread::sleep_for(wait);
    wait = std::min(wait * 2, std::chrono::milliseconds(5000));
  }

  std::size_t count = 0;
  std::string locator;
  for (;;) {
    const auto page =
        call("GET", job_path + "/results" + (locator.empty() ? "" : "?locator=" + locator), "",
             "bulk", true, {{"Accept", "text/csv"}});
    if (page.status != 200) throw_job_error(page, "query results");
    const auto rows = parse_csv(page.body);
    if (!rows.empty()) {
      const auto& header = rows.front();
      for (std::size_t r = 1; r < rows.size(); ++r) {
        CrmValues values;
        values.reserve(header.size());
        for (std::size_t c = 0; c < header.size(); ++c) {
          const auto& cell = c < rows[r].size() ? rows[r][c] : std::string();
          values.emplace_back(header[c], cell.empty() ? std::optional<std::string>()
                                                      : std::optional<std::string>(cell));
        }
        out(values);
        ++count;
      }
    }
    const auto next = page.header("Sforce-Locator");
    if (!next || next->empty() || *next == "null") break;
    locator = std::string(*next);
  }
  return count;
}

}  // namespace crmsync::salesforce
