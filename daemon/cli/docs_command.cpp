// `crmsync docs configuration`: prints the configuration reference generated from the declared
// settings; docs/configuration.md is this output, checked in CI.
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "core/settings/spec.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"

namespace crmsync::cli {

CommandRunner add_docs_command(CLI::App& app, const GlobalOptions&) {
  auto* command =
      app.add_subcommand("docs", "Print reference documentation generated from the code");
  auto topic = std::make_shared<std::string>();
  command->add_option("topic", *topic, "what to document: configuration")
      ->required()
      ->check(CLI::IsMember({"configuration"}));
  return [topic]() {
    if (*topic == "configuration")
      std::cout << settings::render_reference(config_spec(), "crmsync configuration reference");
    return kExitOk;
  };
}

}  // namespace crmsync::cli
