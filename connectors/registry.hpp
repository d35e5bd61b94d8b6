// connectors/registry.hpp — the one visible list of connectors (no static-init registration):
// each entry names a `type:` and the settings it declares. Adding a connector adds a line here.
#pragma once

#include <vector>

#include "connectors/settings_base.hpp"
#include "core/settings/spec.hpp"

namespace crmsync::connectors {

const std::vector<settings::Variant<CrmSettings>>& crm_setting_variants();
const std::vector<settings::Variant<SourceSettings>>& source_setting_variants();

}  // namespace crmsync::connectors
