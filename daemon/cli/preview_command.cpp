// `crmsync preview FILE [--mapping NAME|FILE] [--json]`: what one file becomes — which column
// feeds which field, each mapped record, each rejected row with its reason. `--raw` shows what
// crmsync reads before any mapping. Needs no CRM, and works on any file, in the inbox or not.
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "connectors/folder/folder_settings.hpp"
#include "connectors/folder/readers/raw_preview.hpp"
#include "connectors/folder/readers/read_file.hpp"
#include "core/error.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "mappings/mapping_loader.hpp"
#include "mappings/preview.hpp"
#include "mappings/transforms/phone.hpp"

namespace crmsync::cli {
namespace {

struct PreviewOptions {
  std::string file;
  std::string mapping;
  bool json = false;
  bool raw = false;
  std::size_t max_rows = 0;
};

// Feeds the reader's records to the mapping preview; unreadable rows are kept for the output.
class PreviewSink final : public folder::RecordSink {
 public:
  explicit PreviewSink(mappings::PreviewBuilder& builder) : builder_(builder) {}
  void on_table(const folder::TableInfo&, std::shared_ptr<const Header>) override {}
  void on_record(Record&& record) override { builder_.add(record); }
  void on_row_error(RowError&& error) override { errors.push_back(std::move(error)); }
  std::vector<RowError> errors;

 private:
  mappings::PreviewBuilder& builder_;
};

// The mapping to use: a file path, a name in the configured mappings folder, or (without
// --mapping) the one the configuration assigns to files of this name.
std::optional<mappings::Mapping> choose_mapping(const PreviewOptions& options,
                                                const GlobalOptions& global, Diagnostics& diags,
                                                std::string& rep,
                                                mappings::CompileOptions& compile) {
  const std::filesystem::path as_path(options.mapping);
  if (!options.mapping.empty() && as_path.has_extension() && std::filesystem::exists(as_path))
    return mappings::load_mapping(as_path, diags);

  const auto config_path = default_config_path(global.config_file);
  Diagnostics config_diags;
  const auto config = load_config(config_path, config_diags);
  if (!config) {
    diags.error({config_path.string(), 0, 0, 1},
                "cannot choose a mapping without a valid configuration",
                "pass --mapping PATH/TO/mapping.yaml, or -c crmsync.yaml");
    return std::nullopt;
  }
  std::string name = options.mapping;
  const auto file = std::filesystem::absolute(options.file).lexically_normal();
  for (const auto& source : config->sources) {
    const auto* folder_source = dynamic_cast<const folder::FolderSettings*>(source.get());
    if (folder_source == nullptr) continue;
    // Inside this inbox: the first folder below it is the rep.
    const auto relative = file.lexically_relative(folder_source->path);
    if (!relative.empty() && *relative.begin() != ".."
        && std::distance(relative.begin(), relative.end()) > 1) {
      rep = relative.begin()->string();
      // The rep's own region, as a sync would map their file.
      if (const auto* settings = folder_source->settings_of_rep(rep))
        compile.phone_region = mappings::phone_region(settings->phone_region).value_or("");
    }
    if (!name.empty()) continue;
    for (const auto& entry : folder_source->mappings)
      for (const auto& pattern : entry.files)
        if (name.empty() && fnmatch(pattern.c_str(), file.filename().c_str(), FNM_CASEFOLD) == 0)
          name = entry.use;
  }
  if (name.empty()) {
    diags.error({options.file, 0, 0, 1}, "no configured mapping reads files named like this",
                "pass --mapping NAME");
    return std::nullopt;
  }
  return mappings::load_mapping(config->mappings_dir / (name + ".yaml"), diags);
}

// Rows the reader could not read at all are rejected rows too, in their place: never dropped.
void merge_unreadable_rows(mappings::Preview& preview, const std::vector<RowError>& errors) {
  for (const auto& error : errors) {
    if (preview.tables.empty()) preview.tables.emplace_back();
    auto table = std::find_if(preview.tables.begin(), preview.tables.end(),
                              [&](const auto& t) { return t.sheet == error.from.sheet; });
    if (table == preview.tables.end()) table = preview.tables.begin();
    mappings::MappedRow row;
    row.outcome = mappings::MappedRow::Outcome::rejected;
    row.from = error.from;
    row.rejection = mappings::Rejection{error.column, "", "", "", error.reason};
    const auto at = std::find_if(table->rows.begin(), table->rows.end(),
                                 [&](const auto& r) { return r.from.row > error.from.row; });
    table->rows.insert(at, std::move(row));
    ++table->rejected;
  }
}

int run_preview(const PreviewOptions& options, const GlobalOptions& global) {
  if (!std::filesystem::is_regular_file(options.file))
    throw Error(ErrorCategory::input, options.file + ": no such file");
  folder::ReadOptions read;
  read.source = "preview";
  read.item = std::filesystem::path(options.file).filename().string();

  if (options.raw) {
    const auto preview = folder::raw_preview(options.file, read, options.max_rows);
    std::cout << (options.json ? folder::render_json(preview) + "\n"
                               : folder::render_text(preview));
    return kExitOk;
  }

  Diagnostics diags;
  std::string rep;
  mappings::CompileOptions compile;
  const auto mapping = choose_mapping(options, global, diags, rep, compile);
  if (!mapping) {
    std::cerr << diags.render();
    return kExitConfig;
  }
  read.owner = rep;
  read.header_hint = mappings::header_hint(*mapping);
  if (!mapping->sheet.empty()) read.sheet = mapping->sheet;
  mappings::PreviewBuilder builder(*mapping, compile);
  PreviewSink sink(builder);
  folder::read_file(options.file, read, sink);
  auto preview = builder.finish();
  merge_unreadable_rows(preview, sink.errors);
  if (options.json) {
    std::cout << mappings::render_preview_json(preview);
  } else {
    std::cout << mappings::render_preview_text(preview);
  }
  return kExitOk;
}

}  // namespace

CommandRunner add_preview_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand(
      "preview", "Show what one file becomes: mapped records and rejected rows with reasons");
  auto options = std::make_shared<PreviewOptions>();
  command->add_option("FILE", options->file, "the spreadsheet, CSV or vCard file")->required();
  command->add_option("--mapping", options->mapping,
                      "mapping name (in mappings_dir) or path to a mapping file; default: the "
                      "one the configuration assigns to this file name");
  command->add_flag("--json", options->json, "one JSON document on stdout");
  command->add_flag("--raw", options->raw,
                    "what crmsync reads before any mapping: format, encoding, header, rows");
  command->add_option("--rows", options->max_rows, "show at most this many rows (raw)");
  command->footer("Needs no CRM. Works on any file, inside the inbox or not.");
  return [options, &global]() { return run_preview(*options, global); };
}

}  // namespace crmsync::cli
