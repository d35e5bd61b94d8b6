// `crmsync review list | accept ID [--crm-id ID] | reject ID [--json]`: the queue of uncertain
// matches. An accepted pair is applied next cycle (the row updates that record); a rejected one
// makes the row a new record and is not asked again.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "core/text/json_writer.hpp"
#include "daemon/cli/command.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::cli {
namespace {

struct ReviewOptions {
  std::int64_t id = 0;
  std::string crm_id;
  bool json = false;
  bool all = false;
};

std::vector<std::string> json_strings(const std::string& text) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(text).get_array().get(array) != simdjson::SUCCESS) return out;
  for (auto value : array) {
    std::string_view s;
    if (value.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
  return out;
}

std::unique_ptr<state::StateStore> open_store(const GlobalOptions& global) {
  const auto config = load_command_config(global);
  if (!config) throw Error(ErrorCategory::config, "the configuration is invalid");
  return state::StateStore::open(config->state_dir);
}

int list_reviews(const ReviewOptions& options, const GlobalOptions& global) {
  auto store = open_store(global);
  auto select = store->connection().prepare(
      "SELECT q.id, q.state, q.object, coalesce(i.owner, ''), coalesce(i.path, ''), "
      "q.sheet, q.row_number, q.candidates_json, q.evidence_json, "
      "coalesce(q.decided_crm_id, '') FROM review_queue q "
      "LEFT JOIN source_items i ON i.id = q.item_id WHERE ? OR q.state = 'open' ORDER BY q.id");
  select.bind(1, std::int64_t{options.all ? 1 : 0});
  JsonWriter json;
  json.begin_array();
  std::string text;
  int count = 0;
  while (select.step()) {
    ++count;
    const auto candidates = json_strings(select.text(7));
    const auto evidence = json_strings(select.text(8));
    json.begin_object().key("id").value(select.integer(0)).key("state").value(select.text(1));
    json.key("object").value(select.text(2));
    json.key("source").begin_object().key("rep").value(select.text(3));
    json.key("file").value(select.text(4)).key("sheet").value(select.text(5));
    json.key("row").value(select.integer(6)).end_object();
    json.key("candidates").begin_array();
    for (const auto& c : candidates)
      json.value(c);
    json.end_array().key("evidence").begin_array();
    for (const auto& e : evidence)
      json.value(e);
    json.end_array().key("decided_crm_id").value(select.text(9)).end_object();
    text += fmt::format("#{} [{}] {}/{}{} row {}: {} candidate(s) {}\n", select.integer(0),
                        select.text(1), select.text(3), select.text(4),
                        select.text(5).empty() ? "" : " (" + select.text(5) + ")",
                        select.integer(6), select.text(2), fmt::join(candidates, ", "));
    for (const auto& e : evidence)
      text += "    " + e + "\n";
  }
  json.end_array();
  if (options.json)
    std::cout << json.str() << "\n";
  else
    std::cout << (count == 0 ? std::string("no open reviews\n") : text);
  return kExitOk;
}

int decide_review(const ReviewOptions& options, const GlobalOptions& global, bool accept) {
  auto store = open_store(global);
  auto& db = store->connection();
  auto select = db.prepare("SELECT state, candidates_json, item_id FROM review_queue WHERE id = ?");
  select.bind(1, options.id);
  if (!select.step()) throw Error(ErrorCategory::input, fmt::format("no review #{}", options.id));
  if (select.text(0) != "open")
    throw Error(ErrorCategory::input,
                fmt::format("review #{} is already {}", options.id, select.text(0)));
  const auto candidates = json_strings(select.text(1));
  const auto item = select.integer(2);
  std::string chosen = options.crm_id;
  if (accept && chosen.empty()) {
    if (candidates.size() != 1)
      throw Error(ErrorCategory::input,
                  fmt::format("review #{} has {} candidates: choose one with --crm-id ({})",
                              options.id, candidates.size(), fmt::join(candidates, ", ")));
    chosen = candidates.front();
  }
  if (accept && std::find(candidates.begin(), candidates.end(), chosen) == candidates.end())
    throw Error(ErrorCategory::input, fmt::format("{} is not a candidate of review #{} ({})",
                                                  chosen, options.id, fmt::join(candidates, ", ")));
  state::Transaction transaction(db);
  auto decide = db.prepare(
      "UPDATE review_queue SET state = ?, decided_at = ?, decided_crm_id = ? WHERE id = ?");
  decide.bind(1, accept ? "accepted" : "rejected").bind(2, state::utc_now_iso8601());
  decide.bind(3, accept ? std::optional<std::string>(chosen) : std::nullopt).bind(4, options.id);
  decide.run();
  // The row's file is read again next cycle, where the decision takes effect.
  auto reread = db.prepare("UPDATE source_items SET status = 'pending' WHERE id = ?");
  reread.bind(1, item).run();
  transaction.commit();
  std::cout << (accept ? fmt::format("review #{} accepted: the row updates {} next cycle\n",
                                     options.id, chosen)
                       : fmt::format("review #{} rejected: the row becomes a new record next "
                                     "cycle\n",
                                     options.id));
  return kExitOk;
}

}  // namespace

CommandRunner add_review_command(CLI::App& app, const GlobalOptions& global) {
  auto* command = app.add_subcommand("review", "The queue of uncertain matches");
  command->require_subcommand(1);
  auto options = std::make_shared<ReviewOptions>();
  auto* list = command->add_subcommand("list", "Open reviews with their candidates and evidence");
  list->add_flag("--json", options->json, "one JSON array on stdout");
  list->add_flag("--all", options->all, "decided reviews too");
  auto* accept = command->add_subcommand("accept", "The row is this CRM record");
  accept->add_option("ID", options->id, "the review number")->required();
  accept->add_option("--crm-id", options->crm_id, "which candidate, when there are several");
  auto* reject = command->add_subcommand("reject", "The row is none of the candidates");
  reject->add_option("ID", options->id, "the review number")->required();
  for (auto* sub : {accept, reject})
    sub->add_flag("--json", options->json, "(accepted for symmetry)");
  return [&global, options, list, accept]() {
    if (list->parsed()) return list_reviews(*options, global);
    return decide_review(*options, global, accept->parsed());
  };
}

}  // namespace crmsync::cli
