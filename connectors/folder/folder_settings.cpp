#include "connectors/folder/folder_settings.hpp"

#include <algorithm>
#include <cctype>

namespace crmsync::folder {
namespace {

using namespace std::chrono_literals;
using settings::ParseContext;
using settings::Spec;

const Spec<FileMapping>& file_mapping_spec() {
  static const Spec<FileMapping> spec{
      "mappings",
      "Which mapping reads which files; the first entry whose pattern matches a file wins.",
      {
          [] {
            auto option = settings::string_list_option(
                "files", &FileMapping::files,
                "glob patterns of file names, e.g. \"*.xlsx *.csv\" or a list", true);
            // Admins write "*.xlsx *.csv" in one string as often as a list: accept both.
            option.parse = [](FileMapping& out, const YAML::Node& node, ParseContext& ctx) {
              auto values = settings::read_string_list(node, "files", ctx);
              if (!values) return;
              for (const auto& value : *values) {
                std::size_t start = 0;
                while (start < value.size()) {
                  const auto end = value.find(' ', start);
                  const auto pattern = value.substr(start, end - start);
                  if (!pattern.empty()) out.files.push_back(pattern);
                  if (end == std::string::npos) break;
                  start = end + 1;
                }
              }
              if (out.files.empty()) ctx.error(node, "'files' must name at least one pattern");
            };
            return option;
          }(),
          [] {
            auto option = settings::string_option("use", &FileMapping::use,
                                                  "mapping name (a file in mappings_dir)");
            option.parse = [](FileMapping& out, const YAML::Node& node, ParseContext& ctx) {
              if (auto value = settings::read_string(node, "use", ctx)) {
                out.use = *value;
                out.use_at = ctx.at(node);
              }
            };
            return option;
          }(),
      }};
  return spec;
}

const Spec<RepSettings>& rep_settings_spec() {
  static const Spec<RepSettings> spec{
      "reps",
      "Settings of one rep, named by their subfolder; reps not listed use the defaults.",
      {
          settings::string_option<RepSettings>("rep", &RepSettings::rep,
                                               "the rep's subfolder name: their email or username",
                                               std::nullopt),
          [] {
            auto option = settings::string_option<RepSettings>(
                "phone_region", &RepSettings::phone_region,
                "ISO 3166 country of the rep's numbers written without '+' and country code; "
                "wins over the mapping's phone_region, never over a region on the transform",
                "");
            option.parse = [](RepSettings& out, const YAML::Node& node, ParseContext& ctx) {
              if (auto value = settings::read_string(node, "phone_region", ctx)) {
                out.phone_region = *value;
                out.phone_region_at = ctx.at(node);
              }
            };
            return option;
          }(),
      }};
  return spec;
}

bool same_rep(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x))
           == std::tolower(static_cast<unsigned char>(y));
  });
}

void check_folder(const FolderSettings& folder, const YAML::Node& node, ParseContext& ctx) {
  if (folder.removed_rows == RemovedRows::flag && folder.removed_flag_field.empty())
    ctx.error(node, "removed_rows: flag needs 'removed_flag_field'",
              "name the CRM text field that gets the note, e.g. removed_flag_field: Description");
  // Positions come from the YAML: an entry that failed to parse is absent from `folder.reps`.
  const YAML::Node reps = node["reps"];
  if (!reps.IsDefined() || !reps.IsSequence()) return;
  std::vector<std::string> seen;
  for (const auto& entry : reps) {
    if (!entry.IsMap()) continue;
    const YAML::Node rep = entry["rep"];
    if (!rep.IsDefined() || !rep.IsScalar()) continue;
    const std::string& name = rep.Scalar();
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
      ctx.error(rep, "'rep' must be the name of one subfolder of the inbox",
                "write the folder's name, e.g. anna.mueller@acme.example");
      continue;
    }
    if (std::any_of(seen.begin(), seen.end(), [&](const auto& s) { return same_rep(s, name); }))
      ctx.error(rep, "rep '" + name + "' is listed twice", "merge the two entries into one");
    seen.push_back(name);
  }
}

}  // namespace

const Spec<FolderSettings>& folder_settings_spec() {
  static const Spec<FolderSettings> spec{
      "sources (folder)",
      "A watched inbox: one subfolder per rep, named by the rep's email or CRM username.",
      {
          settings::string_option<FolderSettings>(
              "name", &FolderSettings::name,
              "unique name of this source, used in reports and metrics"),
          settings::path_option("path", &FolderSettings::path, "the inbox folder"),
          settings::choice_option<FolderSettings, OwnerFrom>(
              "owner_from", &FolderSettings::owner_from,
              "how a file's rep is known: the first-level subfolder's name",
              {{"subfolder", OwnerFrom::subfolder}}, OwnerFrom::subfolder),
          settings::choice_option<FolderSettings, InboxMode>(
              "mode", &FolderSettings::mode,
              "mirror: files stay and edits flow on; consume: files move to processed/ after sync",
              {{"mirror", InboxMode::mirror}, {"consume", InboxMode::consume}}, InboxMode::mirror),
          settings::section_list_option("mappings", &FolderSettings::mappings, file_mapping_spec(),
                                        "which mapping reads which files", true),
          settings::duration_option("stable_for", &FolderSettings::stable_for,
                                    "a file is read once its size and time stop changing this long",
                                    "5s", 0s, 1h),
          settings::duration_option("rescan_every", &FolderSettings::rescan_every,
                                    "full rescan interval, for what file-change events miss", "5m",
                                    10s, 24h),
          settings::integer_option("max_file_mib", &FolderSettings::max_file_mib,
                                   "files larger than this many MiB are refused", 256, {1, 16384}),
          settings::choice_option<FolderSettings, RemovedRows>(
              "removed_rows", &FolderSettings::removed_rows,
              "a row deleted from a mirrored file (or the whole file): ignore (the CRM record and "
              "the link stay), flag "
              "(the record's removed_flag_field gets a note naming the file, row and rep), unlink "
              "(the link is forgotten; a row that comes back is matched afresh). CRM records are "
              "never deleted",
              {{"ignore", RemovedRows::ignore},
               {"flag", RemovedRows::flag},
               {"unlink", RemovedRows::unlink}},
              RemovedRows::ignore),
          settings::string_option<FolderSettings>(
              "removed_flag_field", &FolderSettings::removed_flag_field,
              "with removed_rows: flag, the Contact text field that gets the note", ""),
          settings::section_list_option("reps", &FolderSettings::reps, rep_settings_spec(),
                                        "settings of individual reps, such as their phone region"),
      },
      check_folder};
  return spec;
}

const RepSettings* FolderSettings::settings_of_rep(std::string_view rep) const {
  for (const auto& entry : reps)
    if (same_rep(entry.rep, rep)) return &entry;
  return nullptr;
}

}  // namespace crmsync::folder
