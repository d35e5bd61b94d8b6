// Fuzzes the configuration path admins' files take: strict YAML checks, then the declared
// settings. Any input must end in a Config or diagnostics, never a crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/settings/spec.hpp"
#include "core/yaml/strict_yaml.hpp"
#include "daemon/config/crmsync_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace crmsync;
  Diagnostics diags;
  auto root =
      load_strict_yaml("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), diags);
  if (root && root->IsMap()) {
    Config config;
    settings::ParseContext ctx(diags, "fuzz.yaml");
    config_spec().parse(*root, config, ctx);
  }
  (void)diags.render();
  return 0;
}
