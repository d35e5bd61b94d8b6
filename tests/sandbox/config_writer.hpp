// --write-config FILE --inbox DIR: a complete crmsync.yaml that syncs DIR into this sandbox,
// plus the client secret in sandbox.secret beside it (never inline in the YAML).
#pragma once

#include <string>

namespace sandbox {

struct ConfigRequest {
  std::string config_file;  // absolute or relative to the working directory
  std::string inbox_dir;
  std::string mappings_dir;
  std::string instance_url;  // http://127.0.0.1:PORT
};

// Throws std::runtime_error when a file cannot be written.
void write_crmsync_config(const ConfigRequest& request);

}  // namespace sandbox
