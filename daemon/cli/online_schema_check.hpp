// daemon/cli/online_schema_check.hpp — `validate --online`: the mappings the configuration uses,
// checked against the live CRM's describe() (fields exist, are writable, types and picklists fit).
#pragma once

#include <vector>

#include "connectors/crm.hpp"
#include "core/diagnostics/diagnostics.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::cli {

void check_mappings_online(const std::vector<mappings::Mapping>& used, Crm& crm,
                           Diagnostics& diags);

}  // namespace crmsync::cli
