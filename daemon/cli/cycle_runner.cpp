#include "daemon/cli/cycle_runner.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

#include "connectors/crm_factory.hpp"
#include "connectors/folder/folder_settings.hpp"
#include "core/error.hpp"
#include "core/memory/keep_freed_pages.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/reconcile/sync_cycle.hpp"
#include "daemon/state/state_store.hpp"
#include "mappings/transforms/transliteration_warmup.hpp"

namespace crmsync::cli {

int run_cycle_command(const CycleCommandOptions& options, const GlobalOptions& global) {
  keep_freed_pages_until_exit();
  const auto transliteration = mappings::start_transliteration_warmup();
  const auto config = load_command_config(global);
  if (!config) return kExitConfig;
  auto store = state::StateStore::open(config->state_dir);
  auto crm = connectors::make_crm(*config->crm);
  reconcile::CycleOptions cycle;
  cycle.apply = options.apply;
  cycle.write_reports = options.apply;
  cycle.only_source = options.source;
  cycle.render =
      options.json ? reconcile::CycleOptions::Render::json : reconcile::CycleOptions::Render::text;
  if (options.json) {
    cycle.json_out = &std::cout;
    cycle.json_fd = STDOUT_FILENO;
  }
  cycle.process_exits_after = true;
  const auto result = reconcile::run_cycle(*config, *store, *crm, cycle);
  if (!options.json) {
    std::cout << result.text;
    if (options.apply)
      for (const auto& source : config->sources)
        if (const auto* folder = dynamic_cast<const folder::FolderSettings*>(source.get()))
          std::cout << fmt::format("reports: {}/<rep>/reports/\n", folder->path.string());
  }
  std::cout.flush();
  if (!std::cout) {
    // The cycle itself is done and recorded; only its account is incomplete. Exit 0 would let a
    // script take a truncated document (a full disk) for the whole one. No errno is quoted: the
    // stream may have failed several writes before this check.
    spdlog::error(
        "run {}: the {} could not be written to standard output; the run itself completed and "
        "is recorded: `crmsync status` shows it",
        result.summary.run_id, options.json ? "plan document" : "summary");
    return kExitIoError;
  }
  return kExitOk;
}

}  // namespace crmsync::cli
