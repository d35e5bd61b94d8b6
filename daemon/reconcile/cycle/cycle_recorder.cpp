#include "daemon/reconcile/cycle/cycle_recorder.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <system_error>

#include "core/text/json_writer.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::reconcile {
namespace {

std::string object_of(const SourceRow& row) {
  const auto* primary = row.mapped.primary();
  return primary ? primary->object : std::string("row");
}

std::string json_list(const std::vector<std::string>& values) {
  JsonWriter json;
  json.begin_array();
  for (const auto& value : values)
    json.value(value);
  json.end_array();
  return json.take();
}

}  // namespace

CycleRecorder::CycleRecorder(state::StateStore& store, std::int64_t run_id, Plan& plan)
    : store_(store),
      run_id_(run_id),
      plan_(plan),
      settled_(plan.rows.size(), false),
      retry_(plan.rows.size(), false),
      removed_retry_(plan.removed.size(), false),
      row_sets_(store.connection()),
      audit_records_(store.connection(), run_id) {}

std::size_t CycleRecorder::save_row(const SourceRow& row, const RowPlan& decision,
                                    std::string_view status, bool applied, bool in_part) {
  auto& set = in_part ? row_sets_.change_in_part(row.item_id) : row_sets_.change(row.item_id);
  auto& stored = set.slot(object_of(row), row.row_key);
  stored.content_hash = row.content_hash;
  // The last applied content and the link stay until a write or an unlink replaces them.
  if (applied) stored.applied_hash = row.content_hash;
  if (!decision.crm_id.empty())
    stored.crm_id = decision.crm_id;
  else if (row.linked_id)
    stored.crm_id = row.linked_id;
  stored.sheet = row.mapped.from.sheet;
  stored.row_number = row.mapped.from.row;
  stored.status = status;
  stored.last_seen_run = run_id_;
  stored.reason = decision.reason;
  return static_cast<std::size_t>(&stored - set.rows().data());
}

void CycleRecorder::AuditBatch::add(std::string_view object, std::string_view crm_id,
                                    std::string_view changes_json, const Provenance& from) {
  records.push_back(
      {object, crm_id, changes_json, from.owner, from.item, from.sheet, std::int64_t{from.row}});
}

// [[field, old, new, policy], ...], appended as text: 100k created rows' changes are half a
// million of them, and JsonWriter's comma and nesting bookkeeping was a third of their time.
std::string CycleRecorder::changes_json(const RowPlan& decision) {
  std::string changes;
  for (const auto& change : decision.fields) {
    if (change.decision != FieldAction::write) continue;
    changes += changes.empty() ? "[[" : ",[";
    append_json_string(changes, change.field);
    changes += ',';
    if (change.old_value)
      append_json_string(changes, *change.old_value);
    else
      changes += "null";
    changes += ',';
    append_json_string(changes, change.new_value);
    changes += ',';
    append_json_string(changes, mappings::to_string(change.policy));
    changes += ']';
  }
  if (!changes.empty()) changes += ']';
  return changes;
}

std::vector<std::string> CycleRecorder::prepare_audit() const {
  // A row's written fields are planned, and its results change its action and link, never them.
  std::vector<std::string> prepared(plan_.rows.size());
  for (const auto& operation : plan_.operations)
    for (const auto r : operation.rows)
      if (prepared[r].empty()) prepared[r] = changes_json(plan_.decisions[r]);
  return prepared;
}

void CycleRecorder::start_preparing_audit() {
  if (prepared_audit_.valid() || !audit_changes_.empty()) return;
  try {
    prepared_audit_ = std::async(std::launch::async, [this] { return prepare_audit(); });
  } catch (const std::system_error&) {
    // No thread to be had: each record's changes are written out as it is audited.
  }
}

void CycleRecorder::audit(AuditBatch& batch, std::size_t r, const std::string& object) {
  const auto& decision = plan_.decisions[r];
  // Taken from where it was prepared (freed once inserted: 100k rows' changes are 24 MB), else
  // written out now.
  const std::string_view changes = batch.texts.emplace_back(
      r < audit_changes_.size() && !audit_changes_[r].empty() ? std::move(audit_changes_[r])
                                                              : changes_json(decision));
  if (!changes.empty()) batch.add(object, decision.crm_id, changes, plan_.rows[r].mapped.from);
}

void CycleRecorder::queue_review(const SourceRow& row, const RowPlan& decision) {
  auto& db = store_.connection();
  auto open = db.prepare(
      "SELECT 1 FROM review_queue WHERE item_id = ? AND object = ? AND row_key = ? AND "
      "state = 'open'");
  open.bind(1, row.item_id).bind(2, object_of(row)).bind(3, row.row_key);
  if (open.step()) return;
  auto insert = db.prepare(
      "INSERT INTO review_queue (created_run, object, item_id, row_key, candidates_json, "
      "evidence_json, state, sheet, row_number) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)");
  auto evidence = decision.evidence;
  if (evidence.empty() && !decision.reason.empty()) evidence.push_back(decision.reason);
  insert.bind(1, run_id_).bind(2, object_of(row)).bind(3, row.item_id).bind(4, row.row_key);
  insert.bind(5, json_list(decision.candidates)).bind(6, json_list(evidence));
  insert.bind(7, row.mapped.from.sheet).bind(8, std::int64_t{row.mapped.from.row}).run();
}

void CycleRecorder::audit_removed(AuditBatch& batch, const RemovedRow& removed,
                                  const std::string& field,
                                  const std::optional<std::string>& old_value,
                                  const std::optional<std::string>& new_value) {
  JsonWriter changes;
  changes.begin_array().begin_array().value(field);
  for (const auto& value : {old_value, new_value})
    if (value)
      changes.value(*value);
    else
      changes.null();
  changes.value(fmt::format("removed_rows: {}", to_string(removed.action))).end_array().end_array();
  batch.add(removed.object, removed.crm_id, batch.texts.emplace_back(changes.take()), removed.from);
}

void CycleRecorder::on_flag_result(RemovedRow& removed, std::size_t index,
                                   const CrmOperationResult& result) {
  if (result.success) {
    removed.outcome = "flagged";
    writes_.push_back({Write::Kind::flagged, index});
  } else if (result.category == ErrorCategory::transient) {
    removed.outcome = fmt::format("not flagged yet ({}: {}); tried again next cycle", result.code,
                                  result.message);
    removed_retry_[index] = true;
  } else {
    removed.outcome = fmt::format("not flagged: the CRM refused it: {}", result.message);
  }
}

void CycleRecorder::on_result(std::size_t operation, const CrmOperationResult& result) {
  const auto& op = plan_.operations[operation];
  for (const auto i : op.removed)
    on_flag_result(plan_.removed[i], i, result);
  for (const auto r : op.rows) {
    auto& decision = plan_.decisions[r];
    // An Account create answers for the contacts that need it; their own operation records them.
    if (decision.operation != operation) {
      if (!result.success && op.op.object == "Account")
        decision.reason += (decision.reason.empty() ? "" : "; ")
                           + fmt::format("its account could not be created: {}", result.message);
      continue;
    }
    settled_[r] = true;
    if (result.success) {
      if (decision.action == RowAction::create) {
        decision.crm_id = result.id;
        // An upsert that found its external id already in the CRM wrote onto that record.
        if (op.op.kind == CrmOperation::Kind::upsert && !result.created) {
          decision.action = RowAction::update;
          decision.reason =
              fmt::format("the CRM already had a record with {} = {}: it took this row's values",
                          op.op.external_id_field,
                          value_of(op.op.values, op.op.external_id_field).value_or(""));
        }
      }
      writes_.push_back({Write::Kind::applied, r, operation,
                         decision.action == RowAction::create ? "created" : "updated"});
      continue;
    }
    decision.crm_id.clear();
    if (result.code == "DUPLICATES_DETECTED") {
      decision.action = RowAction::review;
      decision.candidates = result.duplicate_ids;
      decision.reason = fmt::format("the CRM's duplicate rule matched it to {}",
                                    result.duplicate_ids.empty()
                                        ? std::string("an existing record")
                                        : fmt::format("{}", fmt::join(result.duplicate_ids, ", ")));
      writes_.push_back({Write::Kind::review, r});
    } else if (result.category == ErrorCategory::transient) {
      decision.reason = fmt::format("not written yet ({}: {}); tried again next cycle", result.code,
                                    result.message);
      writes_.push_back({Write::Kind::not_applied, r, operation, "pending"});
      retry_[r] = true;
    } else {
      decision.action = RowAction::reject;
      decision.reason = fmt::format("the CRM refused it: {}", result.message);
      if (!result.fields.empty())
        decision.reason += fmt::format(" (field {})", fmt::join(result.fields, ", "));
      writes_.push_back({Write::Kind::not_applied, r, operation, "rejected"});
    }
  }
}

void CycleRecorder::persist() {
  if (prepared_audit_.valid()) audit_changes_ = prepared_audit_.get();
  // A large chunk's audit records are inserted on a thread of their own while this one saves its
  // rows and makes their parts (a Bulk job's 100k records took 0.55 s, the rest 0.35). The
  // connection is the other thread's until it is done: the row sets are read before, with room
  // for the rows this chunk adds to them.
  std::map<std::int64_t, std::size_t> writes_per_item, new_rows_per_item;
  for (const auto& write : writes_) {
    if (write.kind == Write::Kind::flagged) continue;
    const auto& row = plan_.rows[write.index];
    ++writes_per_item[row.item_id];
    if (row_sets_.change_in_part(row.item_id).find(object_of(row), row.row_key) == nullptr)
      ++new_rows_per_item[row.item_id];
  }
  for (const auto& [item_id, count] : new_rows_per_item)
    row_sets_.change_in_part(item_id).reserve_more(count);
  std::future<void> audits;
  if (writes_.size() >= kAuditApartFrom) {
    try {
      audits = std::async(std::launch::async, [this] { audit_writes(); });
    } catch (const std::system_error&) {
      // No thread to be had: audited below, on this one.
    }
  }
  // The rows this chunk changed, per file: appended as one part each, with the chunk's outbox
  // state and audit.
  std::map<std::int64_t, std::vector<std::size_t>> changed;
  for (const auto& [item_id, count] : writes_per_item)
    changed[item_id].reserve(count);
  // Saved in plan row order, a file's own: writes come in their operations' order (a create's
  // later rows beside its first), and a part whose rows are out of file order is sorted by
  // sheet and row, which for a 100k-row part cost 37 ms of string compares.
  std::vector<std::size_t> in_row_order(writes_.size());
  std::iota(in_row_order.begin(), in_row_order.end(), std::size_t{0});
  const auto by_row = [this](std::size_t a, std::size_t b) {
    return writes_[a].index < writes_[b].index;
  };
  if (!std::is_sorted(in_row_order.begin(), in_row_order.end(), by_row))
    std::stable_sort(in_row_order.begin(), in_row_order.end(), by_row);
  for (const auto position : in_row_order) {
    const auto& write = writes_[position];
    if (write.kind == Write::Kind::flagged) continue;
    const auto& row = plan_.rows[write.index];
    const auto status = write.kind == Write::Kind::review ? "review" : write.status;
    changed[row.item_id].push_back(save_row(row, plan_.decisions[write.index], status,
                                            write.kind == Write::Kind::applied, true));
  }
  std::vector<state::SourceRowSets::Part> parts;
  std::vector<const state::StoredRow*> rows;
  for (const auto& [item_id, indexes] : changed) {
    const auto& set = row_sets_.read(item_id);
    rows.clear();
    for (const auto i : indexes)
      rows.push_back(&set.rows()[i]);
    parts.push_back(state::SourceRowSets::make_part(item_id, rows));
  }
  if (audits.valid())
    audits.get();
  else
    audit_writes();
  for (const auto& write : writes_)
    if (write.kind == Write::Kind::review)
      queue_review(plan_.rows[write.index], plan_.decisions[write.index]);
  writes_.clear();
  for (auto& part : parts)
    row_sets_.append_part(std::move(part));
}

void CycleRecorder::audit_writes() {
  // One time for the chunk: its results were recorded together.
  const auto at = state::utc_now_iso8601();
  // Inserted a statement's worth at a time: the batch stays small however large the chunk.
  AuditBatch batch;
  for (const auto& write : writes_) {
    if (write.kind == Write::Kind::applied) {
      audit(batch, write.index, plan_.operations[write.operation].op.object);
    } else if (write.kind == Write::Kind::flagged) {
      const auto& removed = plan_.removed[write.index];
      audit_removed(batch, removed, removed.flag_field, std::nullopt, removed.note);
    }
    if (batch.records.size() == state::AuditRecords::kRowsAStatement) {
      audit_records_.insert(batch.records, at);
      batch.records.clear();
      batch.texts.clear();
    }
  }
  audit_records_.insert(batch.records, at);
}

void CycleRecorder::finish(const std::vector<SourceItem>& items, bool stopped) {
  // Nothing was audited (nothing written): its thread is done before the recorder may be left
  // to the process's exit.
  if (prepared_audit_.valid()) prepared_audit_.wait();
  auto& db = store_.connection();
  state::Transaction transaction(db);
  std::set<std::int64_t> pending_items;
  for (std::size_t r = 0; r < plan_.rows.size(); ++r) {
    const auto& row = plan_.rows[r];
    auto& decision = plan_.decisions[r];
    if (row.from_unchanged_file) continue;
    if (settled_[r]) {
      if (retry_[r]) pending_items.insert(row.item_id);
      continue;
    }
    switch (decision.action) {
      case RowAction::unchanged:
        save_row(row, decision, "unchanged", true);
        break;
      case RowAction::reject:
        save_row(row, decision, "rejected", false);
        break;
      case RowAction::review:
        save_row(row, decision, "review", false);
        queue_review(row, decision);
        break;
      case RowAction::create:
      case RowAction::update:
        // Planned but not sent (the cycle was stopped): the next cycle plans it again.
        if (stopped && decision.reason.empty())
          decision.reason = "not sent: crmsync was stopping; sent next cycle";
        save_row(row, decision, "pending", false);
        pending_items.insert(row.item_id);
        break;
    }
  }
  auto update_item = db.prepare(
      "UPDATE source_items SET content_hash = ?, size = ?, mtime_ms = ?, status = ?, error = ?, "
      "last_run = ?, read_with = ? WHERE id = ?");
  record_removed(pending_items);
  // A deleted file with nothing linked left: its rows that never linked are forgotten with it.
  auto mark_deleted = db.prepare("UPDATE source_items SET status = 'deleted' WHERE id = ?");
  for (const auto id : plan_.deleted_items) {
    for (auto& row : row_sets_.change(id).rows_for_update())
      if (row.status != "removed") {
        row.status = "removed";
        row.reason = "the file was deleted";
      }
    mark_deleted.bind(1, id).run();
    mark_deleted.reset();
  }
  for (const auto& item : items) {
    if (item.unchanged) continue;
    std::string status = "synced";
    if (!item.error.empty())
      status = "failed";
    else if (pending_items.contains(item.item_id))
      status = "pending";
    // A file with rows under review is settled too: its rows replay as "review" at no cost, and
    // `crmsync review accept|reject` marks it pending, so the decision is read next cycle.
    update_item.bind(1, item.hash).bind(2, static_cast<std::int64_t>(item.size));
    update_item.bind(3, item.mtime_ms).bind(4, status);
    update_item.bind(5, item.error.empty() ? std::optional<std::string>() : item.error);
    update_item.bind(6, run_id_).bind(7, item.read_with).bind(8, item.item_id).run();
    update_item.reset();
    if (item.error.empty()) forget_unlinked_rows(item.item_id);
  }
  withdraw_reviews_of_removed_rows(items);
  row_sets_.update();
  transaction.commit();
  // Finalized here, not in the destructor: a one-shot command leaves the recorder to the exit,
  // and a statement still open keeps the connection from closing, so its last checkpoint would
  // never run and the run would stay in the WAL beside crmsync.db.
  audit_records_.close();
}

// Rows that were never linked and are gone from their re-read file are no longer reported.
void CycleRecorder::forget_unlinked_rows(std::int64_t item_id) {
  const auto gone = [&](const state::StoredRow& row) {
    return !row.crm_id && row.status != "removed" && row.last_seen_run != run_id_;
  };
  const auto& rows = row_sets_.read(item_id).rows();
  if (std::none_of(rows.begin(), rows.end(), gone)) return;
  for (auto& row : row_sets_.change(item_id).rows_for_update())
    if (gone(row)) row.status = "removed";
}

// An open review of a row that is gone from its file (or whose file is gone) can no longer be
// decided: it leaves the queue. If the row comes back, it is matched, and queued, afresh.
void CycleRecorder::withdraw_reviews_of_removed_rows(const std::vector<SourceItem>& items) {
  std::set<std::int64_t> touched(plan_.deleted_items.begin(), plan_.deleted_items.end());
  for (const auto& item : items)
    if (!item.unchanged && item.error.empty()) touched.insert(item.item_id);
  for (const auto& removed : plan_.removed)
    touched.insert(removed.item_id);
  auto& db = store_.connection();
  auto open = db.prepare(
      "SELECT id, object, row_key FROM review_queue WHERE item_id = ? AND state = 'open'");
  auto withdraw = db.prepare("DELETE FROM review_queue WHERE id = ?");
  std::int64_t withdrawn = 0;
  for (const auto id : touched) {
    std::vector<std::int64_t> gone;
    open.bind(1, id);
    while (open.step()) {
      const auto* row = row_sets_.read(id).find(open.text_view(1), open.text_view(2));
      if (row && row->status == "removed") gone.push_back(open.integer(0));
    }
    open.reset();
    for (const auto review : gone) {
      withdraw.bind(1, review).run();
      withdraw.reset();
      ++withdrawn;
    }
  }
  if (withdrawn > 0)
    spdlog::info("review: {} open review(s) withdrawn: their rows are gone from their files",
                 withdrawn);
}

void CycleRecorder::record_removed(std::set<std::int64_t>& pending_items) {
  AuditBatch unlinked;
  for (std::size_t i = 0; i < plan_.removed.size(); ++i) {
    auto& removed = plan_.removed[i];
    // A flag planned but not sent (the cycle was stopping) is tried again too.
    if (removed_retry_[i] || (removed.operation && removed.outcome.empty())) {
      pending_items.insert(removed.item_id);
      continue;
    }
    auto* row = row_sets_.change(removed.item_id).find(removed.object, removed.row_key);
    if (removed.action == RemovedRow::Action::unlink && !removed.crm_id.empty()) {
      if (row) {
        row->crm_id.reset();
        row->applied_hash.reset();
      }
      audit_removed(unlinked, removed, "link", removed.crm_id, std::nullopt);
      removed.outcome = "unlinked";
    }
    if (removed.outcome.empty()) removed.outcome = "kept";
    if (row) {
      row->status = "removed";
      row->reason = fmt::format("removed from the file: {}", removed.outcome);
    }
  }
  audit_records_.insert(unlinked.records, state::utc_now_iso8601());
}

}  // namespace crmsync::reconcile
