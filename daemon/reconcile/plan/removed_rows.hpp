// daemon/reconcile/plan/removed_rows.hpp — rows a rep deleted from a mirrored file. The folder
// source finds them (an earlier cycle recorded them; the re-read file no longer has them) and
// names the source's policy; this turns the policy into writes: `flag` becomes one update of the
// linked record's flag field, unless the record is still in some other row of the plan (the row
// moved to another file, or its key columns were edited), which is not a removal at all.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "daemon/reconcile/plan/plan_model.hpp"

namespace crmsync::reconcile {

// `today`: the date the notes name (YYYY-MM-DD). Appends flag updates to plan.operations.
// `backed_by_unlisted(crm_id)`: whether a row of plan.unlisted_items is linked to the record.
void plan_removed_rows(Plan& plan, std::int64_t run_id, const std::string& today,
                       const std::function<bool(const std::string&)>& backed_by_unlisted);

}  // namespace crmsync::reconcile
