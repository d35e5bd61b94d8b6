#include "daemon/reconcile/sync_cycle.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <unordered_set>

#include "connectors/folder/folder_settings.hpp"
#include "core/error.hpp"
#include "core/memory/leave_for_exit.hpp"
#include "core/text/json_writer.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/reconcile/apply/outbox.hpp"
#include "daemon/reconcile/cycle/consume_items.hpp"
#include "daemon/reconcile/cycle/cycle_recorder.hpp"
#include "daemon/reconcile/cycle/folder_items.hpp"
#include "daemon/reconcile/cycle/rep_reports.hpp"
#include "daemon/reconcile/cycle/rep_users.hpp"
#include "daemon/reconcile/index/crm_snapshot.hpp"
#include "daemon/reconcile/plan/plan_json.hpp"
#include "daemon/reconcile/plan/planner.hpp"
#include "daemon/reconcile/plan/removed_rows.hpp"
#include "daemon/state/source_row_sets.hpp"
#include "daemon/state/state_store.hpp"
#include "mappings/mapping_loader.hpp"

namespace crmsync::reconcile {
namespace {

using FolderSources = std::vector<const folder::FolderSettings*>;

FolderSources folder_sources(const Config& config, const std::string& only) {
  FolderSources out;
  for (const auto& source : config.sources)
    if (const auto* folder = dynamic_cast<const folder::FolderSettings*>(source.get()))
      if (only.empty() || folder->name == only) out.push_back(folder);
  if (!only.empty() && out.empty())
    throw Error(ErrorCategory::config, fmt::format("no folder source is named '{}'", only));
  return out;
}

// Every mapping the sources use, loaded once; a broken one stops the cycle before any write.
std::map<std::string, mappings::Mapping> load_mappings(const Config& config,
                                                       const FolderSources& sources) {
  std::map<std::string, mappings::Mapping> loaded;
  Diagnostics diags;
  for (const auto* source : sources)
    for (const auto& entry : source->mappings) {
      if (loaded.contains(entry.use)) continue;
      if (auto mapping = mappings::load_mapping(config.mappings_dir / (entry.use + ".yaml"), diags))
        loaded.emplace(entry.use, std::move(*mapping));
    }
  if (diags.error_count() > 0)
    throw Error(ErrorCategory::config, "mappings are invalid:\n" + diags.render());
  return loaded;
}

// The fields the index keeps of each object: match keys, what diffs compare, what lookups need.
std::vector<IndexedObject> indexed_objects(const std::map<std::string, mappings::Mapping>& all) {
  IndexedObject contact{"Contact",
                        {"FirstName", "LastName", "Email", "Phone", "MobilePhone", "AccountId",
                         "Account.Name", "OwnerId", "LastModifiedDate"}};
  IndexedObject account{"Account", {"Name", "OwnerId"}};
  auto add = [](IndexedObject& object, const std::string& field) {
    if (std::find(object.fields.begin(), object.fields.end(), field) == object.fields.end())
      object.fields.push_back(field);
  };
  for (const auto& [name, mapping] : all) {
    if (mapping.primary.object == "Contact")
      for (const auto& field : mapping.primary.fields)
        if (!field.match_only) add(contact, field.name);
    for (const auto& related : mapping.related)
      if (related.object == "Account")
        for (const auto& field : related.fields)
          if (!field.match_only) add(account, field.name);
  }
  return {contact, account};
}

// The External ID fields Contact mappings upsert on: a contact's values of them find it.
std::vector<std::string> contact_external_ids(const std::map<std::string, mappings::Mapping>& all) {
  std::vector<std::string> fields;
  for (const auto& [name, mapping] : all)
    if (mapping.primary.object == "Contact" && !mapping.primary.external_id.empty()
        && std::find(fields.begin(), fields.end(), mapping.primary.external_id) == fields.end())
      fields.push_back(mapping.primary.external_id);
  return fields;
}

void count_decisions(const Plan& plan, CycleSummary& summary) {
  summary.removed = static_cast<std::int64_t>(plan.removed.size());
  summary.unchanged += plan.unchanged_unlisted;
  for (const auto& decision : plan.decisions)
    switch (decision.action) {
      case RowAction::create:
        ++summary.created;
        break;
      case RowAction::update:
        ++summary.updated;
        break;
      case RowAction::unchanged:
        ++summary.unchanged;
        break;
      case RowAction::reject:
        ++summary.rejected;
        break;
      case RowAction::review:
        ++summary.review;
        break;
    }
}

// The records rows of `items` (files whose unchanged rows were counted, not listed) are linked
// to; read once, when a removed row first asks.
std::unordered_set<std::string> linked_in_items(state::StateStore& store,
                                                const std::vector<std::int64_t>& items) {
  std::unordered_set<std::string> linked;
  state::SourceRowSets row_sets(store.connection());
  for (const auto item : items)
    for (const auto& row : row_sets.read(item).rows())
      if (row.crm_id && row.status != "removed") linked.insert(*row.crm_id);
  return linked;
}

std::string summary_json(const CycleSummary& summary) {
  JsonWriter json;
  json.begin_object();
  json.key("created").value(summary.created).key("updated").value(summary.updated);
  json.key("unchanged").value(summary.unchanged).key("rejected").value(summary.rejected);
  json.key("review").value(summary.review).key("removed").value(summary.removed);
  json.key("api_calls").value(summary.api_calls);
  json.key("seconds").value(summary.seconds).end_object();
  return json.take();
}

// Each rep's report of each file read. Never throws: a report that cannot be written is logged
// and the cycle's outcome stands, as for one file's report in write_rep_reports.
void write_all_rep_reports(const FolderSources& sources, const std::vector<SourceItem>& items,
                           const Plan& plan) noexcept {
  try {
    for (const auto* source : sources) {
      std::vector<SourceItem> mine;
      for (const auto& item : items)
        if (item.source == source->name) mine.push_back(item);
      write_rep_reports(source->path, mine, plan);
    }
  } catch (const std::exception& e) {
    spdlog::warn("reports not written: {}", e.what());
  }
}

std::int64_t open_reviews(state::StateStore& store) {
  auto count = store.connection().prepare("SELECT count(*) FROM review_queue WHERE state = 'open'");
  count.step();
  return count.integer(0);
}

}  // namespace

CycleResult run_cycle(const Config& config, state::StateStore& store, Crm& crm,
                      const CycleOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  CycleResult result;
  auto& summary = result.summary;
  summary.run_id = store.start_run(options.apply ? "sync" : "plan");
  const auto calls_before = crm.usage().total();
  try {
    const auto sources = folder_sources(config, options.only_source);
    const auto mappings = load_mappings(config, sources);

    const MatchKeyBuilder keys(kDefaultPhoneRegion, contact_external_ids(mappings));
    CrmIndexStore index(store, keys);
    const auto objects = indexed_objects(mappings);
    // Every indexed record's match keys, loaded only when something needs them: writes a crashed
    // run may have sent, or rows of changed files. An unchanged inbox plans without it.
    std::unique_ptr<CrmSnapshot> snapshot;
    const auto loaded_snapshot = [&]() -> const CrmSnapshot& {
      if (!snapshot) snapshot = std::make_unique<CrmSnapshot>(index.load());
      return *snapshot;
    };
    static const CrmSnapshot kNoSnapshot;

    // What a crashed earlier run may have sent is settled before anything is read: it needs the
    // index as the CRM has it now, so then the index is refreshed first, on its own.
    Outbox outbox(store, summary.run_id);
    bool refreshed = false;
    if (options.apply && outbox.has_sent()) {
      index.refresh(crm, objects);
      refreshed = true;
      outbox.recover(loaded_snapshot(), keys);
    } else if (options.apply) {
      outbox.recover(kNoSnapshot, keys);
    }

    // 2-3. Read and map what changed.
    auto plan_owner = std::make_unique<Plan>();
    auto items_owner = std::make_unique<std::vector<SourceItem>>();
    auto& plan = *plan_owner;
    auto& items = *items_owner;
    for (const auto* source : sources) {
      auto& counts = summary.sources[source->name];
      FolderItems reader(*source, mappings, store, options.render == CycleOptions::Render::json);
      auto read = reader.read(plan, counts, options.stop);
      items.insert(items.end(), std::make_move_iterator(read.begin()),
                   std::make_move_iterator(read.end()));
    }

    // 1. The CRM index (only what changed since the last cycle) and the users of the reps whose
    // rows changed, read together: one call where the connector allows. That is why the index
    // is refreshed after the files are read, unless recovery needed it first.
    std::set<std::string> changed_reps;
    for (const auto& row : plan.rows)
      if (!row.from_unchanged_file) changed_reps.insert(row.mapped.from.owner);
    RepUsers rep_users(changed_reps);
    const auto user_queries = rep_users.by_email();
    const auto on_user = [&](std::size_t, const CrmValues& record) {
      rep_users.on_email_record(record);
    };
    if (!refreshed)
      index.refresh(crm, objects, user_queries, on_user);
    else if (!user_queries.empty())
      crm.query_together(user_queries, on_user);

    // 4-5. Match, cluster, diff, plan.
    PlannerSettings settings;
    settings.run_id = summary.run_id;
    settings.thresholds.match = static_cast<double>(config.reconcile.match_threshold) / 100;
    settings.thresholds.review = static_cast<double>(config.reconcile.review_threshold) / 100;
    switch (config.reconcile.other_owner) {
      case crmsync::OtherOwnerSetting::fill_empty:
        settings.other_owner = OtherOwnerPolicy::fill_empty;
        break;
      case crmsync::OtherOwnerSetting::as_mapped:
        settings.other_owner = OtherOwnerPolicy::as_mapped;
        break;
      case crmsync::OtherOwnerSetting::review:
        settings.other_owner = OtherOwnerPolicy::review;
        break;
    }
    const bool matching = std::any_of(plan.rows.begin(), plan.rows.end(), [](const SourceRow& row) {
      return !row.from_unchanged_file;
    });
    Planner planner(
        matching ? loaded_snapshot() : kNoSnapshot, keys,
        [&](const std::string& id) { return index.values("Contact", id); },
        rep_users.directory(crm), settings);
    planner.plan(plan);
    spdlog::debug("plan: {} row(s), {} operation(s)", plan.rows.size(), plan.operations.size());
    std::optional<std::unordered_set<std::string>> linked_elsewhere;
    plan_removed_rows(plan, summary.run_id, state::utc_now_iso8601().substr(0, 10),
                      [&](const std::string& crm_id) {
                        if (!linked_elsewhere)
                          linked_elsewhere = linked_in_items(store, plan.unlisted_items);
                        return linked_elsewhere->contains(crm_id);
                      });

    // 6-7. Apply through the outbox, record, report.
    // A command that sends Bulk jobs and exits writes their records (100k rows: 55 MB) once,
    // through a rollback journal, instead of to the WAL and again at its checkpoint; the service,
    // and cycles of many small commits, keep the WAL.
    if (options.apply && options.process_exits_after
        && Outbox::sends_a_job(plan, crm.bulk_threshold()))
      store.use_rollback_journal();
    bool stopped = false;
    // The reports read the decisions only: once every result is in, they are written beside the
    // last chunk's records, a second core's work.
    // Then the JSON document's beginning and items, when one is printed to a descriptor: after
    // the reports, on the same thread (a third thread would take the second core from the
    // records half the time). Declared first: the task writes it until `reports` is destroyed.
    StreamedItems streamed_items;
    const bool print_json =
        options.render == CycleOptions::Render::json && options.json_out != nullptr;
    std::future<void> reports;
    const auto write_reports = [&] { write_all_rep_reports(sources, items, plan); };
    if (options.apply) {
      // Left to the exit with the plan by a one-shot command: its row sets hold every row again.
      auto recorder_owner = std::make_unique<CycleRecorder>(store, summary.run_id, plan);
      auto& recorder = *recorder_owner;
      Outbox::Listener listener{
          [&](std::size_t op, const CrmOperationResult& r) { recorder.on_result(op, r); },
          [&] { recorder.persist(); },
          [&] {
            if (!options.write_reports && !print_json) return;
            try {
              reports = std::async(std::launch::async, [&] {
                if (options.write_reports) write_reports();
                if (print_json && options.json_fd >= 0)
                  streamed_items =
                      StreamedItems::write(options.json_fd, plan, summary.run_id, !options.apply);
              });
            } catch (const std::system_error&) {
              // No thread to be had (a service's task limit): done after the records.
            }
          },
          // Not before: while a Bulk job is built and uploaded, the second core stages its
          // outbox entry, which the job's start waits for.
          [&] { recorder.start_preparing_audit(); }};
      auto applied = std::make_unique<ApplyReport>(outbox.apply(plan, crm, listener, options.stop));
      stopped = applied->stopped;
      for (std::size_t i = 0; i < plan.operations.size(); ++i) {
        const auto& op = plan.operations[i];
        const auto kind = op.op.object + "." + std::string(to_string(op.op.kind));
        const auto* r = applied->result(i);
        ++summary.operations[kind + (!r ? ".unsent" : r->success ? ".ok" : ".failed")];
      }
      recorder.finish(items, stopped);
      if (reports.valid())
        reports.get();
      else if (options.write_reports)
        write_reports();
      for (const auto* source : sources)
        if (source->mode == folder::InboxMode::consume) consume_items(*source, items, store);
      summary.outbox_pending = outbox.pending_count();
      if (options.process_exits_after) {
        leave_for_exit(std::move(recorder_owner));
        leave_for_exit(std::move(applied));
      }
    } else {
      for (const auto& op : plan.operations)
        ++summary.operations[op.op.object + "." + std::string(to_string(op.op.kind)) + ".planned"];
    }
    count_decisions(plan, summary);
    summary.review_open = open_reviews(store);
    summary.api_calls = crm.usage().total() - calls_before;
    summary.status = stopped ? "parked" : "completed";
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    store.finish_run(summary.run_id, summary.status, summary_json(summary));
    if (print_json)
      write_plan_json(*options.json_out, plan, summary, !options.apply, &streamed_items);
    else if (options.render == CycleOptions::Render::json)
      result.json = render_plan_json(plan, summary, !options.apply);
    else if (options.render == CycleOptions::Render::text)
      result.text = render_plan_text(plan, summary, !options.apply);
    spdlog::info(
        "{} run {}: {} created, {} updated, {} unchanged, {} rejected, {} to review; {} "
        "API call(s) in {:.2f} s",
        options.apply ? "sync" : "plan", summary.run_id, summary.created, summary.updated,
        summary.unchanged, summary.rejected, summary.review, summary.api_calls, summary.seconds);
    if (options.process_exits_after) {
      leave_for_exit(std::move(plan_owner));
      leave_for_exit(std::move(items_owner));
      leave_for_exit(std::move(snapshot));
    }
    return result;
  } catch (const Error& e) {
    summary.status = "failed";
    summary.api_calls = crm.usage().total() - calls_before;
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    try {
      store.finish_run(summary.run_id, "failed", summary_json(summary));
    } catch (const Error&) {
      // The state store itself failed: the original error is the one to report.
    }
    throw;
  }
}

}  // namespace crmsync::reconcile
