// The outbox on its own, on a real SQLite state store: each chunk is staged as `sent` just before
// it goes out, chunks of one object and kind go out 200 at a time and settle with their results,
// a stop or an outage leaves exactly the states recovery needs, and recovery links a create that
// reached the CRM instead of sending it twice. (The end-to-end crash tests kill the real binary at
// these points; this pins the state machine down without a sandbox.)
#include "daemon/reconcile/apply/outbox.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "core/compression/deflate.hpp"
#include "core/error.hpp"
#include "daemon/reconcile/cycle/cycle_recorder.hpp"
#include "daemon/reconcile/index/crm_snapshot.hpp"
#include "daemon/reconcile/index/match_keys.hpp"
#include "daemon/state/source_row_sets.hpp"
#include "daemon/state/state_store.hpp"
#include "tests/support/scratch_dir.hpp"

namespace crmsync::reconcile {
namespace {

// A CRM that answers every record with success and a fresh id, counts its calls, and can fail
// (as an outage) on a chosen call.
class ScriptedCrm final : public Crm {
 public:
  CrmSchema describe(std::string_view object) override { return {std::string(object), "", {}}; }
  std::size_t query(const CrmQuery&, const std::function<void(const CrmValues&)>&) override {
    return 0;
  }
  std::vector<CrmOperationResult> apply(std::span<const CrmOperation> operations) override {
    ++calls;
    batch_sizes.push_back(operations.size());
    if (calls == fail_on_call)
      throw Error(ErrorCategory::transient, "the CRM is unavailable (503)");
    std::vector<CrmOperationResult> results;
    for (const auto& op : operations) {
      CrmOperationResult result;
      if (refuse_every > 0 && ++answered % refuse_every == 0) {
        result.code = "STRING_TOO_LONG";
        result.message = "Last Name: data value too large";
        results.push_back(std::move(result));
        continue;
      }
      result.success = true;
      if (op.kind == CrmOperation::Kind::upsert && upserts_find_a_record) {
        result.id = "003HELD" + std::to_string(++found);  // the value's record, written over
        results.push_back(std::move(result));
        continue;
      }
      result.id = op.id.empty() ? "003NEW" + std::to_string(++created) : op.id;
      result.created = op.id.empty();
      results.push_back(std::move(result));
    }
    return results;
  }
  CrmUsage usage() const override { return {}; }
  std::size_t bulk_threshold() const override { return bulk; }

  std::size_t bulk = 0;  // from this many operations, one call takes them all (a Bulk job)
  int calls = 0, created = 0, fail_on_call = 0;
  int refuse_every = 0, answered = 0;  // refuse_every: every n-th record is refused
  // An upsert's value already on a record the plan did not know (given it after the index was
  // refreshed): the CRM writes that record.
  bool upserts_find_a_record = false;
  int found = 0;
  std::vector<std::size_t> batch_sizes;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = state::StateStore::open(dir_);
    run_ = store_->start_run("sync");
  }
  void TearDown() override { store_.reset(); }

  // `n` Contact creates, each answering for one source row of item 1.
  Plan creates(int n) {
    Plan plan;
    for (int i = 0; i < n; ++i) {
      SourceRow row;
      row.item_id = 1;
      row.row_key = "person" + std::to_string(i) + "@new.example";
      plan.rows.push_back(row);
      PlannedOperation op;
      op.op.object = "Contact";
      op.op.values = {{"LastName", "Person" + std::to_string(i)},
                      {"Email", "person" + std::to_string(i) + "@new.example"}};
      op.rows = {static_cast<std::size_t>(i)};
      op.idempotency_key = "create:Contact:" + std::to_string(i) + "@" + std::to_string(run_);
      plan.operations.push_back(std::move(op));
    }
    plan.decisions.resize(plan.rows.size());
    return plan;
  }
  // `n` creates of rows 2.. of item 1's file, each writing its LastName: what CycleRecorder
  // records.
  Plan recorded_creates(int n) {
    store_->connection()
        .prepare(
            "INSERT INTO source_items (id, source, owner, path, status) VALUES (1, 'reps', "
            "'rep@acme.example', 'contacts.csv', 'pending')")
        .run();
    auto plan = creates(n);
    for (int i = 0; i < n; ++i) {
      auto& row = plan.rows[static_cast<std::size_t>(i)];
      row.mapped.from = {
          "reps", "rep@acme.example", "contacts.csv", "", static_cast<std::uint32_t>(i + 2), {}};
      auto& decision = plan.decisions[static_cast<std::size_t>(i)];
      decision.action = RowAction::create;
      decision.operation = static_cast<std::size_t>(i);
      decision.fields.push_back({"LastName", std::nullopt,
                                 plan.texts.keep("Person" + std::to_string(i)), FieldAction::write,
                                 mappings::ConflictPolicy::fill_empty, "new record"});
    }
    return plan;
  }
  // Applies the plan with a CycleRecorder listening, as a cycle does; `on_sending` runs as the
  // first chunk or job goes out.
  void apply_and_record(Plan& plan, ScriptedCrm& crm, std::function<void()> on_sending = {}) {
    CycleRecorder recorder(*store_, run_, plan);
    Outbox::Listener listener{
        [&](std::size_t op, const CrmOperationResult& r) { recorder.on_result(op, r); }};
    listener.persist = [&] { recorder.persist(); };
    listener.sending = [&] {
      if (on_sending) on_sending();
      recorder.start_preparing_audit();
    };
    Outbox(*store_, run_).apply(plan, crm, listener, nullptr);
    recorder.finish({}, false);
  }
  // A Bulk job of three creates whose call fails: whether the CRM got it is unknown.
  void send_a_job_of_three_that_fails(Outbox& outbox) {
    auto plan = creates(3);
    ScriptedCrm crm;
    crm.bulk = 2;
    crm.fail_on_call = 1;
    EXPECT_THROW(outbox.apply(
                     plan, crm, [](std::size_t, const CrmOperationResult&) {}, nullptr),
                 Error);
  }
  // Applies the plan, and returns the job's entry as it was staged when the job went out (its
  // JSON, which is stored gzipped).
  std::string staged_job_entry(Plan& plan, ScriptedCrm& crm) {
    std::string staged;
    Outbox::Listener listener{[](std::size_t, const CrmOperationResult&) {}};
    listener.sending = [&] {
      auto select = store_->connection().prepare("SELECT payload_json FROM outbox");
      if (!select.step()) return;
      EXPECT_TRUE(select.is_blob(0));
      staged = inflate(select.blob_view(0), DeflateFraming::gzip, 1u << 30);
    };
    Outbox(*store_, run_).apply(plan, crm, listener, nullptr);
    return staged;
  }
  std::map<std::string, int> states() {
    std::map<std::string, int> out;
    auto select = store_->connection().prepare("SELECT state, count(*) FROM outbox GROUP BY 1");
    while (select.step())
      out[select.text(0)] = static_cast<int>(select.integer(1));
    return out;
  }

  // Source rows of item 1 for person0..2, and the CRM's index as a crash left it: person1's
  // create reached the CRM before the connection failed.
  CrmSnapshot crm_that_made_person1(const MatchKeyBuilder& keys) {
    auto& db = store_->connection();
    db.prepare(
          "INSERT INTO source_items (id, source, owner, path, status) VALUES (1, 'reps', "
          "'rep@acme.example', 'contacts.csv', 'pending')")
        .run();
    state::SourceRowSets row_sets(db);
    auto& rows = row_sets.change(1);
    for (int i = 0; i < 3; ++i) {
      state::StoredRow row;
      row.object = "Contact";
      row.row_key = "person" + std::to_string(i) + "@new.example";
      row.content_hash = "h";
      row.row_number = i + 2;
      row.status = "pending";
      rows.put(std::move(row));
    }
    row_sets.update();
    CrmIndexStore index(*store_, keys);
    index.save("Contact", {{"Id", "003CRASHED000001"},
                           {"SystemModstamp", "2026-11-29T10:00:00.000+0000"},
                           {"LastName", "Person1"},
                           {"Email", "person1@new.example"}});
    return index.load();
  }
  std::string link_of(const std::string& row_key) {
    state::SourceRowSets row_sets(store_->connection());
    const auto* row = row_sets.read(1).find("Contact", row_key);
    return row ? row->crm_id.value_or("(none)") : "(no row)";
  }

  const test_support::ScratchDir scratch_{"crmsync-outbox"};
  const std::filesystem::path dir_ = scratch_.path();
  std::unique_ptr<state::StateStore> store_;
  std::int64_t run_ = 0;
};

// A plan sends a Bulk job when one run of operations of one object and kind reaches the
// connector's threshold, as apply() cuts its chunks; several shorter runs do not add up.
TEST_F(OutboxTest, APlanSendsAJobWhenOneRunReachesTheThreshold) {
  auto plan = creates(300);
  EXPECT_TRUE(Outbox::sends_a_job(plan, 300));
  EXPECT_FALSE(Outbox::sends_a_job(plan, 301));
  EXPECT_FALSE(Outbox::sends_a_job(plan, 0));  // no bulk path
  plan.operations[150].op.kind = CrmOperation::Kind::update;
  EXPECT_FALSE(Outbox::sends_a_job(plan, 200));
  EXPECT_TRUE(Outbox::sends_a_job(plan, 149));
}

TEST_F(OutboxTest, SendsChunksOf200AndSettlesEveryOperation) {
  auto plan = creates(450);
  ScriptedCrm crm;
  int recorded = 0;
  Outbox outbox(*store_, run_);
  const auto report = outbox.apply(
      plan, crm, [&](std::size_t, const CrmOperationResult&) { ++recorded; }, nullptr);
  EXPECT_EQ(crm.batch_sizes, (std::vector<std::size_t>{200, 200, 50}));
  EXPECT_EQ(recorded, 450);
  EXPECT_FALSE(report.stopped);
  ASSERT_NE(report.result(449), nullptr);
  EXPECT_EQ(report.result(449)->id, "003NEW450");
  EXPECT_EQ(states(), (std::map<std::string, int>{{"done", 450}}));
  EXPECT_EQ(outbox.pending_count(), 0);
}

// A create upserted on an External ID value that a record got after the index was refreshed:
// the CRM wrote onto that record, and the row says so instead of claiming a new one.
TEST_F(OutboxTest, AnUpsertThatFoundItsValueIsRecordedAsAnUpdate) {
  auto plan = recorded_creates(1);
  auto& op = plan.operations[0].op;
  op.kind = CrmOperation::Kind::upsert;
  op.external_id_field = "Key__c";
  op.values.emplace_back("Key__c", "K-9");
  ScriptedCrm crm;
  crm.upserts_find_a_record = true;
  apply_and_record(plan, crm);
  const auto& decision = plan.decisions[0];
  EXPECT_EQ(decision.action, RowAction::update);
  EXPECT_EQ(decision.crm_id, "003HELD1");
  EXPECT_NE(decision.reason.find("already had a record with Key__c = K-9"), std::string::npos)
      << decision.reason;
}

// The cycle's recorder behind the outbox, for a Bulk job large enough that its audit records are
// inserted on a thread of their own while the rows are saved: every written row is audited once,
// in row order, with its record; the refused ones are not; the row set holds every row's outcome.
TEST_F(OutboxTest, ALargeJobIsRecordedWithItsAuditOnASecondThread) {
  constexpr int kRows = 5000;  // past CycleRecorder's 4,096 writes
  auto plan = recorded_creates(kRows);
  ScriptedCrm crm;
  crm.bulk = 100;
  crm.refuse_every = 100;
  apply_and_record(plan, crm);
  ASSERT_EQ(crm.calls, 1) << "one Bulk job";

  auto audited = store_->connection().prepare(
      "SELECT row_number, crm_id, changes_json FROM audit_records ORDER BY id");
  int records = 0;
  std::int64_t last_row = 0;
  while (audited.step()) {
    ++records;
    const auto row = audited.integer(0);
    EXPECT_GT(row, last_row) << "in row order";
    last_row = row;
    const auto& decision = plan.decisions[static_cast<std::size_t>(row - 2)];
    EXPECT_EQ(decision.action, RowAction::create) << "row " << row;
    EXPECT_EQ(audited.text(1), decision.crm_id) << "row " << row;
    EXPECT_NE(audited.text(2).find("\"Person" + std::to_string(row - 2) + "\""), std::string::npos);
  }
  EXPECT_EQ(records, kRows - kRows / 100);

  state::SourceRowSets row_sets(store_->connection());
  const auto& stored = row_sets.read(1).rows();
  ASSERT_EQ(stored.size(), static_cast<std::size_t>(kRows));
  int created = 0, rejected = 0;
  for (const auto& row : stored) {
    const auto& decision = plan.decisions[static_cast<std::size_t>(row.row_number - 2)];
    if (row.status == "created") {
      ++created;
      EXPECT_EQ(row.crm_id.value_or(""), decision.crm_id);
    } else if (row.status == "rejected") {
      ++rejected;
      EXPECT_FALSE(row.crm_id);
    }
  }
  EXPECT_EQ(created, kRows - kRows / 100);
  EXPECT_EQ(rejected, kRows / 100);
}

// A settled job's entry gives up its payload in the transaction that records the job's results,
// before them: the pages it frees then hold the audit and the links. Freed after them, they stayed
// free (a first sync of 100k rows left 20 MB of a 78 MB state database empty).
TEST_F(OutboxTest, ASettledJobsPayloadMakesRoomForItsRecords) {
  constexpr int kRows = 15000;  // its gzipped entry is some 130 KB, four pages
  auto plan = recorded_creates(kRows);
  ScriptedCrm crm;
  crm.bulk = 100;
  std::int64_t staged_bytes = 0;
  apply_and_record(plan, crm, [&] {
    auto size = store_->connection().prepare("SELECT sum(length(payload_json)) FROM outbox");
    if (size.step()) staged_bytes = size.integer(0);
  });
  ASSERT_GT(staged_bytes, 100'000) << "the job's entry (gzipped) while it was out";
  const auto pragma = [&](const char* name) {
    auto statement = store_->connection().prepare(std::string("PRAGMA ") + name);
    return statement.step() ? statement.integer(0) : -1;
  };
  const auto free_bytes = pragma("freelist_count") * pragma("page_size");
  EXPECT_LT(free_bytes, staged_bytes / 4)
      << "of the payload's " << staged_bytes << " bytes, " << free_bytes << " stayed free";
}

// `sending` comes once per apply, as the first chunk or job goes out: its entry is staged and the
// CRM has not been called yet. (The cycle starts work that only reads the plan there.)
TEST_F(OutboxTest, TheListenerHearsSendingOnceAsTheFirstChunkOrJobGoesOut) {
  for (const std::size_t bulk : {std::size_t{0}, std::size_t{100}}) {
    SCOPED_TRACE(bulk == 0 ? "chunks" : "a Bulk job");
    auto plan = creates(450);
    ScriptedCrm crm;
    crm.bulk = bulk;
    int heard = 0, calls_then = -1;
    std::map<std::string, int> states_then;
    Outbox::Listener listener{[](std::size_t, const CrmOperationResult&) {}};
    listener.sending = [&] {
      ++heard;
      calls_then = crm.calls;
      states_then = states();
    };
    Outbox outbox(*store_, run_);
    outbox.apply(plan, crm, listener, nullptr);
    EXPECT_EQ(heard, 1);
    EXPECT_EQ(calls_then, 0);
    // The job's one entry, or the first chunk's 200.
    EXPECT_EQ(states_then, (std::map<std::string, int>{{"sent", bulk > 0 ? 1 : 200}}));
    store_->connection().execute("DELETE FROM outbox");
  }
}

// Each operation settles with its own answer: a success with the CRM id, a refusal with the CRM's
// code and message.
TEST_F(OutboxTest, SuccessesKeepTheirIdAndRefusalsTheCrmsAnswer) {
  auto plan = creates(9);
  ScriptedCrm crm;
  crm.refuse_every = 3;
  Outbox outbox(*store_, run_);
  outbox.apply(
      plan, crm, [](std::size_t, const CrmOperationResult&) {}, nullptr);
  EXPECT_EQ(states(), (std::map<std::string, int>{{"done", 6}, {"failed", 3}}));
  auto rows = store_->connection().prepare(
      "SELECT state, coalesce(crm_id, ''), coalesce(result_json, '') FROM outbox ORDER BY id");
  for (int n = 1; rows.step(); ++n) {
    if (n % 3 == 0) {
      EXPECT_EQ(rows.text(0), "failed");
      EXPECT_NE(rows.text(2).find("STRING_TOO_LONG"), std::string::npos) << rows.text(2);
    } else {
      EXPECT_EQ(rows.text(0), "done");
      EXPECT_TRUE(rows.text(1).starts_with("003NEW")) << rows.text(1);
      EXPECT_EQ(rows.text(2), "");
    }
  }
}

TEST_F(OutboxTest, AStopBetweenChunksLeavesTheRestOutOfTheOutbox) {
  auto plan = creates(450);
  ScriptedCrm crm;
  std::atomic<bool> stop = false;
  Outbox outbox(*store_, run_);
  const auto report = outbox.apply(
      plan, crm, [&](std::size_t, const CrmOperationResult&) { stop = true; }, &stop);
  EXPECT_TRUE(report.stopped);
  EXPECT_EQ(crm.calls, 1);
  EXPECT_EQ(report.result(200), nullptr) << "not sent";
  EXPECT_EQ(states(), (std::map<std::string, int>{{"done", 200}}))
      << "what was never sent was never staged: the next plan makes it again";

  Outbox next(*store_, store_->start_run("sync"));
  EXPECT_FALSE(next.has_sent());
  const MatchKeyBuilder keys;
  const auto recovered = next.recover(CrmSnapshot{}, keys);
  EXPECT_EQ(recovered.dropped, 0);
  EXPECT_EQ(recovered.linked + recovered.replan, 0);
  EXPECT_EQ(next.pending_count(), 0);
}

// An older crmsync staged every operation as `pending` before sending any: recovery drops those.
// (The second payload is not JSON, as no crmsync writes it: it is counted, not an error.)
TEST_F(OutboxTest, RecoveryDropsPendingOperationsAnOlderCrmsyncStaged) {
  for (const char* payload : {"{}", "not json"})
    store_->connection()
        .prepare(
            "INSERT INTO outbox (run_id, object, operation, idempotency_key, payload_json, state, "
            "created_at, updated_at) VALUES (?, 'Contact', 'create', 'k1', ?, 'pending', '', '')")
        .bind(1, run_)
        .bind(2, payload)
        .run();
  Outbox next(*store_, store_->start_run("sync"));
  EXPECT_EQ(next.pending_count(), 2);
  const MatchKeyBuilder keys;
  EXPECT_EQ(next.recover(CrmSnapshot{}, keys).dropped, 2);
  EXPECT_EQ(states(), (std::map<std::string, int>{{"failed", 2}}));
}

TEST_F(OutboxTest, AnOutageLeavesItsChunkSentAndRecoveryLinksWhatReachedTheCrm) {
  auto plan = creates(3);
  ScriptedCrm crm;
  crm.fail_on_call = 1;
  Outbox outbox(*store_, run_);
  EXPECT_THROW(outbox.apply(
                   plan, crm, [](std::size_t, const CrmOperationResult&) {}, nullptr),
               Error);
  EXPECT_EQ(states(), (std::map<std::string, int>{{"sent", 3}}))
      << "whether the CRM saw the chunk is unknown";

  // The CRM did create person1 before the connection failed: the refreshed index has it. Its
  // source row gets linked to that record; the two others are planned again.
  const MatchKeyBuilder keys;
  Outbox next(*store_, store_->start_run("sync"));
  EXPECT_TRUE(next.has_sent());
  const auto recovered = next.recover(crm_that_made_person1(keys), keys);
  EXPECT_EQ(recovered.linked, 1);
  EXPECT_EQ(recovered.replan, 2);
  EXPECT_EQ(link_of("person1@new.example"), "003CRASHED000001");
  EXPECT_EQ(states(), (std::map<std::string, int>{{"done", 1}, {"failed", 2}}));
}

// A chunk sent as one Bulk job is one outbox entry; each refusal gets an entry of its own, with
// the CRM's answer, as a refusal in a smaller chunk does.
TEST_F(OutboxTest, ABulkJobIsOneEntryAndEachRefusalOneOfItsOwn) {
  auto plan = creates(450);
  ScriptedCrm crm;
  crm.bulk = 300;
  crm.refuse_every = 100;
  int recorded = 0;
  Outbox outbox(*store_, run_);
  outbox.apply(
      plan, crm, [&](std::size_t, const CrmOperationResult&) { ++recorded; }, nullptr);
  EXPECT_EQ(crm.batch_sizes, (std::vector<std::size_t>{450}));
  EXPECT_EQ(recorded, 450);
  EXPECT_EQ(states(), (std::map<std::string, int>{{"done", 1}, {"failed", 4}}));
  auto rows = store_->connection().prepare(
      "SELECT state, coalesce(result_json, ''), payload_json FROM outbox ORDER BY id");
  ASSERT_TRUE(rows.step());
  EXPECT_EQ(rows.text(0), "done");
  EXPECT_EQ(rows.text(1), R"({"operations":450,"failed":4})");
  EXPECT_EQ(rows.text(2), "{}") << "settled, the job keeps its counts, not its payloads";
  while (rows.step()) {
    EXPECT_EQ(rows.text(0), "failed");
    EXPECT_NE(rows.text(1).find("STRING_TOO_LONG"), std::string::npos) << rows.text(1);
    EXPECT_NE(rows.text(2).find(R"("values":)"), std::string::npos) << rows.text(2);
  }
  EXPECT_EQ(outbox.pending_count(), 0);
}

// An audit record lists the fields written, each as [field, old, new, policy], escaped as JSON;
// a field kept is not in it, and a record nothing was written to has none.
TEST_F(OutboxTest, AnAuditRecordListsTheFieldsWrittenAsJson) {
  auto plan = recorded_creates(2);
  auto& first = plan.decisions[0];
  first.fields.push_back({"Title", "Einkäufer \"Nord\"", "Head of\nPurchasing", FieldAction::write,
                          mappings::ConflictPolicy::newest_wins, ""});
  first.fields.push_back(
      {"Phone", "+4930", "+4940", FieldAction::keep, mappings::ConflictPolicy::fill_empty, ""});
  plan.decisions[1].fields.front().decision = FieldAction::keep;
  ScriptedCrm crm;
  apply_and_record(plan, crm);

  auto audited = store_->connection().prepare("SELECT row_number, changes_json FROM audit_records");
  ASSERT_TRUE(audited.step());
  EXPECT_EQ(audited.integer(0), 2);
  EXPECT_EQ(audited.text(1),
            R"([["LastName",null,"Person0","fill_empty"],)"
            R"(["Title","Einkäufer \"Nord\"","Head of\nPurchasing","newest_wins"]])");
  EXPECT_FALSE(audited.step()) << "row 3 wrote nothing";
}

// While a job is out, its entry keeps what recovery reads of each create (the identifying values
// and the rows), not every value: the CRM's job has those.
TEST_F(OutboxTest, AJobsEntryKeepsTheValuesRecoveryIdentifiesRecordsBy) {
  auto plan = creates(3);
  for (auto& op : plan.operations) {
    op.op.values.emplace_back("Title", "Head of Purchasing");
    op.op.values.emplace_back("OwnerId", "005A");
  }
  ScriptedCrm crm;
  crm.bulk = 2;
  const auto staged = staged_job_entry(plan, crm);
  EXPECT_EQ(staged.rfind(R"({"operations":[{"values":{"LastName":"Person0","Email":)", 0), 0U)
      << staged;
  EXPECT_NE(staged.find(R"("rows":[[1,"Contact","person2@new.example"]])"), std::string::npos)
      << staged;
  EXPECT_EQ(staged.find("Title"), std::string::npos) << staged;
  EXPECT_EQ(staged.find("005A"), std::string::npos) << staged;
}

// A large job's entry is one JSON document with every operation once, in the job's order.
TEST_F(OutboxTest, ALargeJobsEntryHoldsEveryOperationOnceInOrder) {
  constexpr std::size_t kOperations = 5000;
  auto plan = creates(static_cast<int>(kOperations));
  ScriptedCrm crm;
  crm.bulk = 100;
  const auto staged = staged_job_entry(plan, crm);
  simdjson::dom::parser parser;
  simdjson::dom::array operations;
  ASSERT_EQ(parser.parse(staged)["operations"].get_array().get(operations), simdjson::SUCCESS)
      << staged.substr(0, 200);
  ASSERT_EQ(operations.size(), kOperations);
  std::size_t n = 0;
  for (auto operation : operations) {
    std::string_view email, key;
    ASSERT_EQ(operation["values"]["Email"].get_string().get(email), simdjson::SUCCESS) << n;
    ASSERT_EQ(operation["rows"].at(0).at(2).get_string().get(key), simdjson::SUCCESS) << n;
    const auto expected = "person" + std::to_string(n) + "@new.example";
    ASSERT_EQ(email, expected);
    ASSERT_EQ(key, expected);
    ++n;
  }
}

// A job whose call failed stays `sent` as a whole; pending counts its operations, and recovery
// looks for each of them as for a single one.
TEST_F(OutboxTest, AnOutageLeavesItsJobSentAndRecoveryLooksForEachOperation) {
  Outbox outbox(*store_, run_);
  send_a_job_of_three_that_fails(outbox);
  EXPECT_EQ(states(), (std::map<std::string, int>{{"sent", 1}}));
  EXPECT_EQ(outbox.pending_count(), 3);

  const MatchKeyBuilder keys;
  Outbox next(*store_, store_->start_run("sync"));
  const auto recovered = next.recover(crm_that_made_person1(keys), keys);
  EXPECT_EQ(recovered.linked, 1);
  EXPECT_EQ(recovered.replan, 2);
  EXPECT_EQ(link_of("person1@new.example"), "003CRASHED000001");
  EXPECT_EQ(states(), (std::map<std::string, int>{{"failed", 1}}))
      << "two of its operations are planned again";
  EXPECT_EQ(next.pending_count(), 0);
}

// A job an older crmsync staged kept its JSON as text: it is still counted and recovered.
TEST_F(OutboxTest, AJobAnOlderCrmsyncStagedAsTextIsStillRecovered) {
  const MatchKeyBuilder keys;
  const auto snapshot = crm_that_made_person1(keys);
  std::string payload = R"({"operations":[)";
  for (int i = 0; i < 3; ++i)
    payload += (i > 0 ? "," : "")
               + fmt::format(R"({{"values":{{"Email":"person{0}@new.example"}},)"
                             R"("rows":[[1,"Contact","person{0}@new.example"]]}})",
                             i);
  payload += "]}";
  store_->connection()
      .prepare(
          "INSERT INTO outbox (run_id, object, operation, idempotency_key, payload_json, state, "
          "created_at, updated_at) VALUES (?, 'Contact', 'create', 'job:k+2', ?, 'sent', '', '')")
      .bind(1, run_)
      .bind(2, payload)
      .run();
  Outbox next(*store_, store_->start_run("sync"));
  EXPECT_EQ(next.pending_count(), 3);
  const auto recovered = next.recover(snapshot, keys);
  EXPECT_EQ(recovered.linked, 1);
  EXPECT_EQ(recovered.replan, 2);
  EXPECT_EQ(link_of("person1@new.example"), "003CRASHED000001");
}

// A gzipped entry that cannot be inflated is not an error that stops the cycle: its operations
// are planned again, as for any sent operation not found in the CRM.
TEST_F(OutboxTest, ADamagedJobEntryIsPlannedAgain) {
  Outbox outbox(*store_, run_);
  send_a_job_of_three_that_fails(outbox);
  store_->connection()
      .prepare("UPDATE outbox SET payload_json = substr(payload_json, 1, 20)")
      .run();
  const MatchKeyBuilder keys;
  Outbox next(*store_, store_->start_run("sync"));
  EXPECT_EQ(next.pending_count(), 3) << "counted from result_json";
  const auto recovered = next.recover(crm_that_made_person1(keys), keys);
  EXPECT_EQ(recovered.linked, 0);
  EXPECT_EQ(recovered.replan, 1);
  EXPECT_EQ(states(), (std::map<std::string, int>{{"failed", 1}}));
}

}  // namespace
}  // namespace crmsync::reconcile
