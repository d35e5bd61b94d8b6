// Processes the uploaded CSV of a Bulk API 2.0 ingest job into records and result CSVs.
#pragma once

#include "salesforce/org.hpp"

namespace sandbox::salesforce {

// Applies every row of the job's uploads, fills its result CSVs and counters, and sets
// final_state (JobComplete, or Failed with errorMessage when the upload cannot be read).
void run_ingest_job(Org& org, IngestJob& job);

}  // namespace sandbox::salesforce
