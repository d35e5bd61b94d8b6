#include "daemon/reconcile/apply/outbox.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <map>
#include <system_error>

#include "core/compression/deflate.hpp"
#include "core/text/json_writer.hpp"
#include "daemon/reconcile/index/match_keys.hpp"
#include "daemon/reconcile/match/matcher.hpp"
#include "daemon/state/source_row_sets.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::reconcile {
namespace {

// Operations per CRM call: sObject Collections take 200 records. Results are recorded per chunk,
// so a crash loses at most one chunk's worth of "maybe sent" state to recovery.
constexpr std::size_t kChunk = 200;
// What a staged entry may inflate to: SQLite's own limit on a text.
constexpr std::size_t kLargestPayload = 1'000'000'000;

// Test hook: CRMSYNC_TEST_CRASH=before_send:N or after_send:N ends the process abruptly (as
// kill -9 would) around the N-th chunk, so tests can prove recovery at exactly those instants.
void maybe_crash(std::string_view when, int chunk) {
  static const char* spec = std::getenv("CRMSYNC_TEST_CRASH");
  if (spec == nullptr) return;
  const std::string wanted = fmt::format("{}:{}", when, chunk);
  if (wanted == spec) {
    spdlog::default_logger()->flush();
    ::_exit(137);
  }
}

// The operations of one chunk, moved out of the plan for the CRM call and moved back after, also
// when the call throws. A bulk chunk is the whole run: a copy of 100k operations held about 80 MB
// beside the plan's.
class LentOperations {
 public:
  LentOperations(Plan& plan, std::span<const std::size_t> members)
      : plan_(plan), members_(members) {
    operations.reserve(members.size());
    for (const auto i : members)
      operations.push_back(std::move(plan.operations[i].op));
  }
  ~LentOperations() {
    for (std::size_t n = 0; n < members_.size(); ++n)
      plan_.operations[members_[n]].op = std::move(operations[n]);
  }
  LentOperations(const LentOperations&) = delete;
  LentOperations& operator=(const LentOperations&) = delete;

  std::vector<CrmOperation> operations;

 private:
  Plan& plan_;
  std::span<const std::size_t> members_;
};

// The outbox's operation column: an upsert is recorded as the create it stands for, which
// recovery looks up by its match keys like any other (resending it would be harmless too).
std::string_view operation_column(CrmOperation::Kind kind) {
  return kind == CrmOperation::Kind::update ? "update" : "create";
}

std::string failure_json(const CrmOperationResult& result) {
  JsonWriter json;
  json.begin_object().key("success").value(false).key("id").value(result.id);
  json.key("code").value(result.code).key("message").value(result.message).end_object();
  return json.take();
}

// [[item, object, row key], ...]: the source rows recovery links to the record it finds.
void append_rows(std::string& out, const CrmOperation& values, const PlannedOperation& op,
                 const Plan& plan) {
  out += '[';
  for (std::size_t i = 0; i < op.rows.size(); ++i) {
    const auto& row = plan.rows[op.rows[i]];
    out += i == 0 ? "[" : ",[";
    append_json_integer(out, row.item_id);
    out += ',';
    append_json_string(out, row.mapped.primary() ? row.mapped.primary()->object : values.object);
    out += ',';
    append_json_string(out, row.row_key);
    out += ']';
  }
  out += ']';
}

// `values`: the operation's CRM side, which may be lent to the connector (LentOperations).
void write_operation_payload(JsonWriter& json, const CrmOperation& values,
                             const PlannedOperation& op, const Plan& plan) {
  json.begin_object();
  json.key("object").value(values.object).key("kind").value(to_string(values.kind));
  if (!values.id.empty()) json.key("id").value(values.id);
  if (!values.external_id_field.empty()) json.key("external_id").value(values.external_id_field);
  json.key("values");
  write_stored_values(json, values.values);
  std::string rows;
  append_rows(rows, values, op, plan);
  json.key("rows").raw(rows);
  json.end_object();
}

// What recovery needs to find the record a sent create made: its match keys, an Account's name,
// and the external id.
bool identifies(std::string_view field, const CrmOperation& op) {
  return is_match_key_field(field) || field == op.external_id_field
         || (op.object == "Account" && field == "Name");
}

// One operation of a Bulk job's entry: its entry's columns already say its object and kind, and
// the CRM's job holds every value, so it keeps only what recovery reads (a create's identifying
// values) and its rows. 30 MB for 100k creates became about 20, written while the job uploads.
// Appended as text, as JsonWriter would write it: its bookkeeping of commas and nesting was a
// third of the staging thread's 0.16 s for those 100k (perf).
void append_job_operation(std::string& out, const CrmOperation& values, const PlannedOperation& op,
                          const Plan& plan) {
  out += '{';
  if (!values.id.empty()) {
    out += R"("id":)";
    append_json_string(out, values.id);
    out += ',';
  }
  out += R"("values":{)";
  bool first = true;
  if (values.kind != CrmOperation::Kind::update)
    for (const auto& [field, value] : values.values)
      if (value && identifies(field, values)) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, field);
        out += ':';
        append_json_string(out, *value);
      }
  out += R"(},"rows":)";
  append_rows(out, values, op, plan);
  out += '}';
}

// Operations one CRM call may carry together: of one object and kind (and upsert key).
bool same_chunk(const CrmOperation& a, const CrmOperation& b) {
  return a.kind == b.kind && a.object == b.object && a.external_id_field == b.external_id_field;
}

}  // namespace

std::string operation_payload_json(const PlannedOperation& op, const Plan& plan) {
  JsonWriter json;
  write_operation_payload(json, op.op, op, plan);
  return json.take();
}

// Queries on state say `state != 'done'`: that lets SQLite use the partial index outbox_unsettled,
// which leaves out the done operations, nearly all of them.
RecoveryReport Outbox::recover(const CrmSnapshot& snapshot, const MatchKeyBuilder& keys) {
  RecoveryReport report;
  auto& db = store_.connection();
  state::Transaction transaction(db);
  {
    auto drop = db.prepare(
        "UPDATE outbox SET state = 'failed', updated_at = ?, "
        "result_json = '{\"note\":\"never sent; planned again\"}' "
        "WHERE state != 'done' AND state = 'pending'");
    drop.bind(1, state::utc_now_iso8601()).run();
    report.dropped = db.changes();
  }
  struct Sent {
    std::int64_t id;
    std::string operation, object, payload;
  };
  std::vector<Sent> sent;
  {
    auto select = db.prepare(
        "SELECT id, operation, object, payload_json FROM outbox WHERE state != 'done' AND "
        "state = 'sent'");
    while (select.step()) {
      Sent op{select.integer(0), select.text(1), select.text(2), {}};
      // A job's entry is gzipped JSON (a BLOB); single operations, and jobs an older crmsync
      // staged, are JSON text. Damaged, it is left unparsed: its operations are planned again.
      if (!select.is_blob(3)) {
        op.payload = select.text(3);
      } else {
        try {
          op.payload = inflate(select.blob_view(3), DeflateFraming::gzip, kLargestPayload);
        } catch (const Error& e) {
          spdlog::warn("outbox: entry {} cannot be read ({}): planned again", op.id, e.what());
        }
      }
      sent.push_back(std::move(op));
    }
  }
  const Matcher matcher(snapshot.contacts, {});
  state::SourceRowSets row_sets(db);
  // The record one sent operation made, if the CRM has it: its rows are linked to it.
  auto find_and_link = [&](const Sent& op, simdjson::dom::element payload) -> std::string {
    if (op.operation != "create") return {};
    CrmValues values;
    simdjson::dom::object fields;
    if (payload["values"].get_object().get(fields) == simdjson::SUCCESS)
      for (auto [key, value] : fields) {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS)
          values.emplace_back(std::string(key), std::string(text));
      }
    std::string found;
    if (op.object == "Account") {
      const auto key = keys.company_key(value_of(values, "Name").value_or(""));
      if (auto at = snapshot.accounts_by_key.find(key); at != snapshot.accounts_by_key.end())
        found = at->second;
      return found;
    }
    auto person = keys.from_crm(values);
    const auto match = matcher.match(person, std::nullopt);
    // The record we created carries exactly the email or phone we sent: only that identifies
    // it. A fuzzy look-alike (a colleague at the same domain, one letter apart) must not
    // swallow the create; names alone count only when the create had neither.
    const bool exact = match.kind == MatchKind::external_id || match.kind == MatchKind::email
                       || match.kind == MatchKind::phone;
    const bool names_only = person.email.empty() && person.phones.empty();
    if (match.record && (exact || (names_only && match.kind == MatchKind::fuzzy)))
      found = std::string(snapshot.contacts.id(*match.record));
    if (found.empty()) return found;
    simdjson::dom::array rows;
    if (payload["rows"].get_array().get(rows) != simdjson::SUCCESS) return found;
    for (auto row : rows) {
      std::int64_t item = 0;
      std::string_view object, key;
      if (row.at(0).get_int64().get(item) != simdjson::SUCCESS
          || row.at(1).get_string().get(object) != simdjson::SUCCESS
          || row.at(2).get_string().get(key) != simdjson::SUCCESS)
        continue;
      if (auto* stored = row_sets.change(item).find(object, key)) stored->crm_id = found;
    }
    return found;
  };
  auto settle = db.prepare(
      "UPDATE outbox SET state = ?, crm_id = coalesce(?, crm_id), result_json = ?, "
      "updated_at = ? WHERE id = ?");
  simdjson::dom::parser parser;
  for (const auto& op : sent) {
    simdjson::dom::element payload;
    const bool parsed = parser.parse(op.payload).get(payload) == simdjson::SUCCESS;
    simdjson::dom::array job;
    if (parsed && payload["operations"].get_array().get(job) == simdjson::SUCCESS) {
      // A Bulk job's entry: each of its operations is looked for like a single one.
      int linked = 0, replan = 0;
      for (auto each : job)
        ++(find_and_link(op, each).empty() ? replan : linked);
      report.linked += linked;
      report.replan += replan;
      JsonWriter note;
      note.begin_object().key("note").value(fmt::format(
          "sent before a crash: {} found in the CRM and linked, {} planned again", linked, replan));
      settle.bind(1, replan == 0 ? "done" : "failed").bind(2, std::nullopt);
      settle.bind(3, note.end_object().take());
    } else if (const auto found = parsed ? find_and_link(op, payload) : std::string();
               !found.empty()) {
      settle.bind(1, "done").bind(2, found).bind(
          3, R"({"note":"sent before a crash; found in the CRM and linked"})");
      ++report.linked;
    } else {
      settle.bind(1, "failed")
          .bind(2, std::nullopt)
          .bind(3, R"({"note":"sent before a crash; not found in the CRM, planned again"})");
      ++report.replan;
    }
    settle.bind(4, state::utc_now_iso8601()).bind(5, op.id).run();
    settle.reset();
  }
  row_sets.update();
  transaction.commit();
  if (report.dropped + report.linked + report.replan > 0)
    spdlog::warn(
        "outbox: recovered from an interrupted run: {} never sent, {} found and linked, "
        "{} planned again",
        report.dropped, report.linked, report.replan);
  return report;
}

std::int64_t Outbox::insert_entry(const Entry& entry) {
  auto& db = store_.connection();
  if (!insert_)
    insert_.emplace(db.handle(),
                    "INSERT INTO outbox (run_id, object, operation, idempotency_key, crm_id, "
                    "payload_json, state, attempts, result_json, created_at, updated_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)");
  auto& insert = *insert_;
  insert.reset();
  insert.bind(1, run_id_).bind(2, entry.object).bind(3, operation_column(entry.kind));
  insert.bind(4, entry.key);
  if (entry.crm_id.empty())
    insert.bind(5, std::nullopt);
  else
    insert.bind(5, entry.crm_id);
  // The payload (megabytes for a Bulk job) is not copied: the entry outlives the insert.
  if (entry.gzipped)
    insert.bind_blob_unowned(6, entry.payload);
  else
    insert.bind_unowned(6, entry.payload);
  insert.bind(7, entry.state);
  if (entry.result.empty())
    insert.bind(8, std::nullopt);
  else
    insert.bind(8, entry.result);
  insert.bind(9, entry.now).bind(10, entry.now).run();
  return db.last_insert_id();
}

std::vector<std::int64_t> Outbox::stage_sent(const Plan& plan,
                                             std::span<const std::size_t> operations) {
  state::Transaction transaction(store_.connection());
  const auto now = state::utc_now_iso8601();
  std::vector<std::int64_t> ids;
  ids.reserve(operations.size());
  for (const auto i : operations) {
    const auto& op = plan.operations[i];
    ids.push_back(insert_entry({op.op.object, op.op.kind, op.idempotency_key, op.op.id,
                                operation_payload_json(op, plan), "sent", "", now}));
  }
  transaction.commit();
  return ids;
}

// A chunk the connector sends as one Bulk job is one outbox entry, holding every operation's
// payload: the job is one unit of sending, and a 100k-operation entry costs one insert and one
// update where an entry per operation cost a 100k-row sync a fifth of its time. Recovery looks
// for each operation in it as for a single one; failures get an entry each, as elsewhere.
std::int64_t Outbox::stage_job(const Plan& plan, std::span<const std::size_t> operations,
                               std::span<const CrmOperation> lent) {
  // Gzipped as it is written, a piece at a time: 21 MB of JSON for 100k creates became 4, which
  // the state store writes (and checkpoints) in a fraction of the time, with no 21 MB text held.
  // The job's start waits for this entry: with the JSON whole, sized first and stored as text, it
  // took 105 ms, longer than the upload it runs beside.
  constexpr std::size_t kPiece = 1u << 18;
  Deflater deflater(DeflateFraming::gzip);
  std::string piece;
  piece.reserve(kPiece + 4096);
  piece += R"({"operations":[)";
  for (std::size_t n = 0; n < operations.size(); ++n) {
    if (n > 0) piece += ',';
    append_job_operation(piece, lent[n], plan.operations[operations[n]], plan);
    if (piece.size() >= kPiece) {
      deflater.add(piece);
      piece.clear();
    }
  }
  piece += "]}";
  deflater.add(piece);
  const auto json_size = deflater.size();
  const auto payload = deflater.finish();
  // Its operations counted where SQL can read them (pending_outbox_operations), as when settled.
  const auto counts = fmt::format(R"({{"operations":{}}})", operations.size());
  const auto& first = lent.front();
  // Named: the entry only views its texts.
  const auto key = fmt::format("job:{}+{}", plan.operations[operations.front()].idempotency_key,
                               operations.size() - 1);
  const auto now = state::utc_now_iso8601();
  state::Transaction transaction(store_.connection());
  Entry entry{first.object, first.kind, key, "", payload, "sent", counts, now};
  entry.gzipped = true;
  const auto id = insert_entry(entry);
  transaction.commit();
  spdlog::debug("outbox: job entry {} staged ({} operations, {} bytes of JSON gzipped to {})", id,
                operations.size(), json_size, payload.size());
  return id;
}

void Outbox::record_job_failure(const PlannedOperation& op, const Plan& plan,
                                const CrmOperationResult& result, const std::string& now) {
  insert_entry({op.op.object, op.op.kind, op.idempotency_key, op.op.id,
                operation_payload_json(op, plan), "failed", failure_json(result), now});
}

ApplyReport Outbox::apply(Plan& plan, Crm& crm, const Listener& listener,
                          const std::atomic<bool>* stop) {
  ApplyReport report(plan.operations.size());
  if (plan.operations.empty()) return report;
  sending_told_ = false;
  // Accounts first: the contacts that wait for them get their ids before they are sent.
  std::vector<std::size_t> accounts, others;
  for (std::size_t i = 0; i < plan.operations.size(); ++i)
    (plan.operations[i].op.object == "Account"
             && plan.operations[i].op.kind == CrmOperation::Kind::create
         ? accounts
         : others)
        .push_back(i);
  send_phase(plan, crm, accounts, listener, others.empty(), stop, report);
  std::map<std::string, std::string> created_accounts;
  for (const auto i : accounts)
    if (const auto* result = report.result(i); result && result->success)
      created_accounts[plan.operations[i].idempotency_key] = result->id;
  for (auto& op : plan.operations) {
    if (op.pending_account_key.empty()) continue;
    const auto key = fmt::format("create:Account:{}@{}", op.pending_account_key, run_id_);
    if (auto at = created_accounts.find(key); at != created_accounts.end())
      op.op.values.emplace_back("AccountId", at->second);
  }
  if (!report.stopped) send_phase(plan, crm, others, listener, true, stop, report);
  return report;
}

// Successes settle a batch per statement, their outbox ids and CRM ids passed as one JSON array:
// an UPDATE per operation was 15% of a 100k-row sync. A batch of 1,000 keeps the UPDATE ... FROM
// join that SQLite materialises, whole outbox rows included, within its page cache.
void Outbox::settle_successes(std::span<const std::int64_t> ids,
                              std::span<const CrmOperationResult> results, const std::string& now) {
  constexpr std::size_t kSettleBatch = 1000;
  auto settle = store_.connection().prepare(
      "UPDATE outbox SET state = 'done', crm_id = coalesce(nullif(s.value ->> 1, ''), "
      "outbox.crm_id), updated_at = ? FROM json_each(?) AS s WHERE outbox.id = s.value ->> 0");
  for (std::size_t start = 0; start < ids.size(); start += kSettleBatch) {
    JsonWriter succeeded;
    succeeded.begin_array();
    // A short answer settles what it answers; send_phase's results.at() reports the rest.
    const auto end = std::min({ids.size(), results.size(), start + kSettleBatch});
    for (std::size_t n = start; n < end; ++n)
      if (results[n].success)
        succeeded.begin_array().value(ids[n]).value(results[n].id).end_array();
    succeeded.end_array();
    settle.bind(1, now).bind(2, succeeded.take()).run();
    settle.reset();
  }
}

bool Outbox::sends_a_job(const Plan& plan, std::size_t bulk_threshold) {
  if (bulk_threshold == 0) return false;
  const auto& ops = plan.operations;
  for (std::size_t start = 0, run = 0; start < ops.size(); start = run) {
    run = start + 1;
    while (run < ops.size() && same_chunk(ops[run].op, ops[start].op))
      ++run;
    if (run - start >= bulk_threshold) return true;
  }
  return false;
}

void Outbox::send_phase(Plan& plan, Crm& crm, const std::vector<std::size_t>& operations,
                        const Listener& listener, bool last_phase, const std::atomic<bool>* stop,
                        ApplyReport& report) {
  auto& db = store_.connection();
  for (std::size_t start = 0, end = 0; start < operations.size(); start = end) {
    if (stop && stop->load()) {
      report.stopped = true;
      return;
    }
    // One chunk, one CRM call: operations of one object and kind, at most 200 — or the whole
    // run when it is long enough for the connector's bulk path (a few calls for any number).
    const auto& first = plan.operations[operations[start]].op;
    std::size_t run = start + 1;
    while (run < operations.size() && same_chunk(plan.operations[operations[run]].op, first))
      ++run;
    const auto bulk = crm.bulk_threshold();
    const bool job = bulk > 0 && run - start >= bulk;
    end = job ? run : std::min(run, start + kChunk);
    const std::span<const std::size_t> members(operations.data() + start, end - start);
    // Written as `sent` in one transaction before anything is written: what was never staged
    // was never sent, and the next plan makes it again from the source rows.
    std::vector<std::int64_t> ids;
    const auto sending = [&] {
      ++chunks_sent_;
      maybe_crash("before_send", chunks_sent_);
      if (!sending_told_) {
        sending_told_ = true;
        listener.sending();
      }
    };
    // An exception here (auth, outage) leaves the chunk `sent`: whether the CRM saw it is
    // unknown, and recovery settles exactly that before anything is sent again.
    std::vector<CrmOperationResult> results;
    if (job) {
      // A job's entry (20 MB for 100k creates) is written on a second thread
      // while the connector builds, creates and uploads the job, and must be in before the job
      // is started: the connector waits for it there.
      const LentOperations chunk(plan, members);
      const auto stage = [&] { return stage_job(plan, members, chunk.operations); };
      std::future<std::int64_t> staged;
      try {
        staged = std::async(std::launch::async, stage);
      } catch (const std::system_error&) {
        // No thread to be had: staged first.
      }
      const auto staged_id = [&] {
        if (!ids.empty()) return;
        ids.push_back(staged.valid() ? staged.get() : stage());
        sending();
      };
      results = crm.apply_gated(chunk.operations, staged_id);
      staged_id();  // nothing was sent (an empty answer): staged all the same
    } else {
      ids = stage_sent(plan, members);
      sending();
      const LentOperations chunk(plan, members);
      results = crm.apply(chunk.operations);
    }
    maybe_crash("after_send", chunks_sent_);
    const auto now = state::utc_now_iso8601();
    // Each operation's state, links and audit commit together.
    state::Transaction transaction(db);
    auto failed = db.prepare(
        "UPDATE outbox SET state = 'failed', crm_id = coalesce(nullif(?, ''), crm_id), "
        "result_json = ?, updated_at = ? WHERE id = ?");
    for (std::size_t n = start; n < end; ++n) {
      const auto i = operations[n];
      const auto& result = results.at(n - start);
      if (!result.success && job) {
        record_job_failure(plan.operations[i], plan, result, now);
      } else if (!result.success) {
        failed.bind(1, result.id).bind(2, failure_json(result)).bind(3, now);
        failed.bind(4, ids[n - start]).run();
        failed.reset();
      }
      listener.decide(i, result);
    }
    if (last_phase && end == operations.size()) listener.all_decided();
    if (job) {
      // Settled, the job keeps its counts, not the payloads (recovery reads those of sent entries
      // only; the audit keeps what was written): the state store does not grow by them each job.
      // Before the records: the pages the payload frees (20 MB for 100k creates) then hold the
      // audit and the links, instead of staying free at the end of a grown file.
      auto done = db.prepare(
          "UPDATE outbox SET state = 'done', payload_json = '{}', result_json = ?, updated_at = ? "
          "WHERE id = ?");
      const auto failures =
          std::count_if(results.begin(), results.end(), [](const auto& r) { return !r.success; });
      done.bind(1, fmt::format(R"({{"operations":{},"failed":{}}})", members.size(), failures));
      done.bind(2, now).bind(3, ids.front()).run();
      listener.persist();
    } else {
      listener.persist();
      // Last in the transaction: a multi-row UPDATE keeps a statement journal, which SQLite
      // moves to a temporary file past 64 KiB, and every statement after it then journals to
      // that file too. Settled first, a 100k-row sync wrote 2 GB there, half its system time.
      settle_successes(ids, results, now);
    }
    transaction.commit();
    report.add(members, std::move(results));
  }
}

void ApplyReport::add(std::span<const std::size_t> operations,
                      std::vector<CrmOperationResult> results) {
  const auto& chunk = chunks_.emplace_back(std::move(results));
  for (std::size_t n = 0; n < operations.size() && n < chunk.size(); ++n)
    by_operation_[operations[n]] = &chunk[n];
}

std::int64_t Outbox::pending_count() {
  return store_.pending_outbox_operations();
}

bool Outbox::has_sent() {
  auto sent = store_.connection().prepare(
      "SELECT 1 FROM outbox WHERE state != 'done' AND state = 'sent' LIMIT 1");
  return sent.step();
}

}  // namespace crmsync::reconcile
