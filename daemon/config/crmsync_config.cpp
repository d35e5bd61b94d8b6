#include "daemon/config/crmsync_config.hpp"

#include <cstdlib>
#include <set>

#include "connectors/folder/folder_settings.hpp"
#include "connectors/registry.hpp"
#include "core/yaml/strict_yaml.hpp"
#include "mappings/transforms/phone.hpp"

namespace crmsync {
namespace {

using settings::ParseContext;
using settings::Spec;

const Spec<LogSettings>& log_spec() {
  static const Spec<LogSettings> spec{
      "log",
      "Logging. Under systemd, records go to the journal with REP=, FILE=, ROW=, RUN= fields.",
      {
          settings::choice_option<LogSettings, spdlog::level::level_enum>(
              "level", &LogSettings::level, "least severe level logged ('-v' lowers it)",
              {{"trace", spdlog::level::trace},
               {"debug", spdlog::level::debug},
               {"info", spdlog::level::info},
               {"warning", spdlog::level::warn},
               {"error", spdlog::level::err}},
              spdlog::level::info),
          settings::choice_option<LogSettings, LogTarget>(
              "target", &LogSettings::target, "auto: the journal when run by systemd, else stderr",
              {{"auto", LogTarget::automatic},
               {"journald", LogTarget::journald},
               {"console", LogTarget::console}},
              LogTarget::automatic),
      }};
  return spec;
}

const Spec<StatusSettings>& status_spec() {
  static const Spec<StatusSettings> spec{
      "status",
      "The local status endpoint (/healthz, /metrics, /status) that `crmsync status` reads.",
      {
          settings::host_port_option("listen", &StatusSettings::listen,
                                     "address to listen on; keep it on loopback unless a "
                                     "monitoring host must reach it",
                                     "127.0.0.1:9464"),
      },
      [](const StatusSettings& status, const YAML::Node& node, ParseContext& ctx) {
        if (!status.listen.is_loopback())
          ctx.warning(node["listen"], "the status endpoint will be reachable from the network",
                      "bind 127.0.0.1 unless a monitoring host needs it, and firewall it");
      }};
  return spec;
}

const Spec<ReconcileSettings>& reconcile_spec() {
  static const Spec<ReconcileSettings> spec{
      "reconcile",
      "How rows are matched to CRM records, and what a rep may change on another rep's records.",
      {
          settings::integer_option("match_threshold", &ReconcileSettings::match_threshold,
                                   "fuzzy score (percent) at or above which a row is that CRM "
                                   "record; exact email and phone matches need no score",
                                   92, {50, 100}),
          settings::integer_option("review_threshold", &ReconcileSettings::review_threshold,
                                   "fuzzy score (percent) at or above which, below "
                                   "match_threshold, a person decides (`crmsync review`)",
                                   80, {50, 100}),
          settings::choice_option<ReconcileSettings, OtherOwnerSetting>(
              "other_owner", &ReconcileSettings::other_owner,
              "a rep's row on another rep's record: fill_empty fills only empty fields, "
              "as_mapped applies the mapping's policies, review asks a person first",
              {{"fill_empty", OtherOwnerSetting::fill_empty},
               {"as_mapped", OtherOwnerSetting::as_mapped},
               {"review", OtherOwnerSetting::review}},
              OtherOwnerSetting::fill_empty),
      },
      [](const ReconcileSettings& reconcile, const YAML::Node& node, ParseContext& ctx) {
        if (reconcile.review_threshold > reconcile.match_threshold)
          ctx.error(node["review_threshold"], "'review_threshold' is above 'match_threshold'",
                    "a score between the two goes to review; keep review_threshold lower");
      }};
  return spec;
}

// Rules that span sections: unique source names, mappings that exist.
void check_config(const Config& config, const YAML::Node& root, ParseContext& ctx) {
  // Read names from the YAML itself: sources that failed to parse are absent from `config`, so
  // its positions would not line up with the file's.
  std::set<std::string> names;
  const YAML::Node sources = root["sources"];
  if (sources.IsDefined() && sources.IsSequence()) {
    for (const auto& item : sources) {
      if (!item.IsMap()) continue;
      const YAML::Node name = item["name"];
      if (!name.IsDefined() || !name.IsScalar()) continue;
      if (!names.insert(name.Scalar()).second)
        ctx.error(name, "two sources are named '" + name.Scalar() + "'", "give each a unique name");
    }
  }

  const auto mappings_dir = config.mappings_dir.empty()
                                ? std::filesystem::absolute(ctx.file()).parent_path() / "mappings"
                                : config.mappings_dir;
  // Shown relative to the config when inside its folder, as admins think of it.
  const auto config_dir = std::filesystem::absolute(ctx.file()).parent_path();
  auto shown_dir = mappings_dir.lexically_relative(config_dir);
  if (shown_dir.empty() || *shown_dir.begin() == "..") shown_dir = mappings_dir;
  std::vector<std::string> available;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(mappings_dir, ec))
    if (entry.path().extension() == ".yaml") available.push_back(entry.path().stem().string());
  for (const auto& source : config.sources) {
    const auto* folder = dynamic_cast<const folder::FolderSettings*>(source.get());
    if (folder == nullptr) continue;
    for (const auto& rep : folder->reps)
      if (!rep.phone_region.empty() && !mappings::phone_region(rep.phone_region))
        ctx.diagnostics().report(
            {Severity::error, rep.phone_region_at,
             "'phone_region' " + mappings::unknown_phone_region(rep.phone_region), "for example DE",
             false});
    for (const auto& mapping : folder->mappings) {
      if (mapping.use.empty()
          || std::find(available.begin(), available.end(), mapping.use) != available.end())
        continue;
      Diagnostic diagnostic{Severity::error, mapping.use_at,
                            "no mapping named '" + mapping.use + "' in " + shown_dir.string() + "/",
                            suggestion_help(mapping.use, std::vector<std::string_view>(
                                                             available.begin(), available.end())),
                            false};
      if (diagnostic.help.empty())
        diagnostic.help = "create " + (shown_dir / (mapping.use + ".yaml")).string();
      ctx.diagnostics().report(std::move(diagnostic));
    }
  }
}

}  // namespace

const Spec<Config>& config_spec() {
  static const Spec<Config> spec{
      "crmsync.yaml",
      "The service configuration, /etc/crmsync/crmsync.yaml by default. Relative paths are "
      "relative to the directory of the file that contains them.",
      {
          settings::path_option("state_dir", &Config::state_dir,
                                "where crmsync keeps its state database and run data",
                                std::string("/var/lib/crmsync")),
          settings::path_option("mappings_dir", &Config::mappings_dir,
                                "folder of mapping files (default: mappings/ beside this file)",
                                std::string()),
          settings::section_option("log", &Config::log, log_spec(), "logging"),
          settings::section_option("status", &Config::status, status_spec(),
                                   "local status endpoint"),
          settings::section_option("reconcile", &Config::reconcile, reconcile_spec(),
                                   "matching thresholds and ownership policy"),
          settings::variant_option("crm", &Config::crm, connectors::crm_setting_variants(),
                                   "the CRM that records are reconciled into"),
          settings::variant_list_option("sources", &Config::sources,
                                        connectors::source_setting_variants(),
                                        "where reps' records come from", true),
      },
      check_config};
  return spec;
}

std::filesystem::path default_config_path(const std::string& from_command_line) {
  if (!from_command_line.empty()) return from_command_line;
  if (const char* env = std::getenv("CRMSYNC_CONFIG"); env != nullptr && *env != '\0') return env;
  return "/etc/crmsync/crmsync.yaml";
}

std::optional<Config> load_config(const std::filesystem::path& path, Diagnostics& diags) {
  auto root = load_strict_yaml_file(path, diags);
  if (!root) return std::nullopt;
  Config config;
  config.file = path;
  ParseContext ctx(diags, path.string());
  const auto before = diags.error_count();
  if (root->IsNull()) {
    diags.error({path.string(), 0, 0, 1}, "the configuration is empty",
                "start from config/crmsync.yaml of the crmsync package");
    return std::nullopt;
  }
  config_spec().parse(*root, config, ctx);
  if (config.mappings_dir.empty())
    config.mappings_dir = std::filesystem::absolute(path).parent_path() / "mappings";
  if (diags.error_count() != before) return std::nullopt;
  return config;
}

}  // namespace crmsync
