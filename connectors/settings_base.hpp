// connectors/settings_base.hpp — what every connector's settings have in common. Each connector
// declares its own settings struct (derived from one of these) and its Spec, next to its code.
#pragma once

#include <string>

namespace crmsync {

struct CrmSettings {
  virtual ~CrmSettings() = default;
  std::string type;  // the `type:` the section was chosen by
};

struct SourceSettings {
  virtual ~SourceSettings() = default;
  std::string type;
  std::string name;  // unique among sources; reports and metrics use it
};

}  // namespace crmsync
