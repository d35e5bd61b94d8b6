#include "connectors/registry.hpp"

#include "connectors/folder/folder_settings.hpp"
#include "connectors/salesforce/salesforce_settings.hpp"

namespace crmsync::connectors {

const std::vector<settings::Variant<CrmSettings>>& crm_setting_variants() {
  static const std::vector<settings::Variant<CrmSettings>> variants{
      settings::make_variant<CrmSettings>("salesforce", "Salesforce (REST, Collections, Bulk 2.0)",
                                          salesforce::salesforce_settings_spec()),
  };
  return variants;
}

const std::vector<settings::Variant<SourceSettings>>& source_setting_variants() {
  static const std::vector<settings::Variant<SourceSettings>> variants{
      settings::make_variant<SourceSettings>("folder", "a watched inbox of reps' files",
                                             folder::folder_settings_spec()),
  };
  return variants;
}

}  // namespace crmsync::connectors
