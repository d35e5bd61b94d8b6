#include "connectors/crm_factory.hpp"

#include "connectors/salesforce/salesforce_crm.hpp"
#include "core/error.hpp"

namespace crmsync::connectors {

std::unique_ptr<Crm> make_crm(const CrmSettings& settings) {
  if (const auto* salesforce = dynamic_cast<const salesforce::SalesforceSettings*>(&settings))
    return std::make_unique<salesforce::SalesforceCrm>(*salesforce);
  throw Error(ErrorCategory::config, "no connector implements crm type '" + settings.type + "'");
}

}  // namespace crmsync::connectors
