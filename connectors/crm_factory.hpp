// connectors/crm_factory.hpp — builds the configured CRM connector. The one place, besides the
// settings registry, that names each CRM connector; the engine asks it for a Crm and sees only
// connectors/crm.hpp.
#pragma once

#include <memory>

#include "connectors/crm.hpp"
#include "connectors/settings_base.hpp"

namespace crmsync::connectors {

// Throws crmsync::Error(config) for a type no connector implements.
std::unique_ptr<Crm> make_crm(const CrmSettings& settings);

}  // namespace crmsync::connectors
