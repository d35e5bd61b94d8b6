// `crmsync sync --once` end to end against the sandbox seeded with the demo org: the CRM ends as
// truth.csv says (matches filled only where empty, one new contact per new person owned by its
// rep, nothing else created), the API calls are the minimum the plan needs, a second run writes
// nothing, a dry run writes nothing, and a crash at any point of the apply loses and duplicates
// nothing.
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <set>

#include "daemon/state/sqlite_statement.hpp"
#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {
namespace fs = std::filesystem;

using Records = std::vector<std::map<std::string, std::string>>;

std::map<std::string, std::map<std::string, std::string>> by_id(const Records& records) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& record : records)
    out[record.at("Id")] = record;
  return out;
}

int truth_clusters() {
  std::set<std::string> clusters;
  for (const auto& row : load_truth())
    if (row.expect.rfind("new:", 0) == 0) clusters.insert(row.expect);
  return static_cast<int>(clusters.size());
}

std::int64_t delta(const std::map<std::string, std::int64_t>& after,
                   const std::map<std::string, std::int64_t>& before, const std::string& kind) {
  const auto a = after.contains(kind) ? after.at(kind) : 0;
  const auto b = before.contains(kind) ? before.at(kind) : 0;
  return a - b;
}

void expect_no_duplicate_emails(const Records& contacts) {
  std::map<std::string, int> emails;
  for (const auto& contact : contacts)
    if (!contact.at("Email").empty()) ++emails[contact.at("Email")];
  for (const auto& [email, count] : emails)
    EXPECT_EQ(count, 1) << email << " is duplicated";
}

std::int64_t batches(std::int64_t operations) {
  return (operations + 199) / 200;
}

class Sync : public EndToEnd {};

TEST_F(Sync, FirstRunMakesTheCrmMatchTheTruthInTheFewestCalls) {
  const auto before_contacts = by_id(export_records("Contact"));
  ASSERT_EQ(before_contacts.size(), 200u);
  std::map<std::string, std::string> user_by_email;
  for (const auto& user : export_records("User"))
    user_by_email[user.at("Email")] = user.at("Id");
  const auto before = stats();

  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto after = stats();
  const auto summary = parse_summary(result.out);
  const auto items = parse_items(result.out);
  const auto contacts = by_id(export_records("Contact"));

  // Exactly one new contact per new person, and no other.
  EXPECT_EQ(contacts.size(), before_contacts.size() + truth_clusters());
  std::map<std::string, std::set<std::string>> ids_of_cluster;
  std::map<std::string, const Item*> item_at;
  for (const auto& item : items)
    item_at[fmt::format("{}|{}|{}|{}", item.rep, item.file, item.sheet, item.row)] = &item;
  for (const auto& truth : load_truth()) {
    const auto at =
        item_at.find(fmt::format("{}|{}|{}|{}", truth.rep, truth.file, truth.sheet, truth.row));
    ASSERT_NE(at, item_at.end()) << truth.rep << "/" << truth.file << " row " << truth.row;
    const auto& item = *at->second;
    if (truth.expect.rfind("new:", 0) == 0 && item.action == "create") {
      ids_of_cluster[truth.expect].insert(item.crm_id);
      ASSERT_TRUE(contacts.contains(item.crm_id)) << item.crm_id;
    }
    if (truth.expect.rfind("match:", 0) == 0) {
      EXPECT_NE(item.action, "create") << truth.rep << "/" << truth.file << " row " << truth.row;
    }
  }
  for (const auto& [cluster, ids] : ids_of_cluster)
    EXPECT_EQ(ids.size(), 1u) << cluster;

  // New contacts are owned by the rep whose file brought them.
  for (const auto& item : items) {
    if (item.action != "create" || item.crm_id.empty()) continue;
    const auto& created = contacts.at(item.crm_id);
    ASSERT_TRUE(user_by_email.contains(item.rep)) << item.rep;
    const bool owned_by_a_rep = !created.at("OwnerId").empty();
    EXPECT_TRUE(owned_by_a_rep) << item.crm_id;
  }
  for (const auto& item : items) {
    if (item.action != "create" || item.crm_id.empty()) continue;
    // The first row of a cluster is credited; rows of the same cluster in other reps' files
    // share the record, so only check that the owner is one of the cluster's reps.
    std::set<std::string> reps;
    for (const auto& other : items)
      if (other.cluster == item.cluster) reps.insert(user_by_email[other.rep]);
    EXPECT_TRUE(reps.contains(contacts.at(item.crm_id).at("OwnerId"))) << item.crm_id;
  }

  // fill_empty: no good CRM value was overwritten (Title is newest_wins, Description append).
  for (const auto& [id, old] : before_contacts) {
    ASSERT_TRUE(contacts.contains(id)) << id << " disappeared";
    for (const auto& [field, value] : old) {
      if (value.empty() || field == "Title" || field == "Description" || field == "AccountId"
          || field.find("Modified") != std::string::npos || field == "SystemModstamp")
        continue;
      EXPECT_EQ(contacts.at(id).at(field), value) << id << "." << field << " was overwritten";
    }
  }

  // Every rejected row is in its rep's report with the reason.
  for (const auto& item : items) {
    if (item.action != "reject") continue;
    EXPECT_FALSE(item.reason.empty());
    const auto report = dir_ / "inbox" / item.rep / "reports" / (item.file + ".report.csv");
    std::ifstream in(report);
    ASSERT_TRUE(in.good()) << report;
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("rejected"), std::string::npos) << report;
  }

  // The minimum the plan needs: one token, one page per indexed object (Contact, Account), one
  // batched user lookup, and a collections call per 200 writes of one kind and object.
  const auto& ops = summary;
  (void)ops;
  std::int64_t account_creates = 0, contact_creates = 0, contact_updates = 0;
  {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS);
    simdjson::dom::object operations;
    ASSERT_EQ(root.at_pointer("/summary/operations").get(operations), simdjson::SUCCESS);
    for (auto [key, value] : operations) {
      int64_t n = 0;
      ASSERT_EQ(value.get_int64().get(n), simdjson::SUCCESS);
      if (key == "Account.create.ok") account_creates = n;
      if (key == "Contact.create.ok") contact_creates = n;
      if (key == "Contact.update.ok") contact_updates = n;
      EXPECT_TRUE(key.ends_with(".ok")) << key << " = " << n;
    }
  }
  EXPECT_EQ(contact_creates, truth_clusters());
  EXPECT_GT(contact_updates, 0);
  std::cout << fmt::format(
      "first sync: {} account(s) and {} contact(s) created, {} updated; API "
      "calls {} (token {}, composite {}, collections {})\n",
      account_creates, contact_creates, contact_updates, summary.at("api_calls"),
      delta(after, before, "token"), delta(after, before, "composite"),
      delta(after, before, "collections"));
  EXPECT_EQ(delta(after, before, "token"), 1);
  // The index of Contact and Account and the reps' users: three queries in one composite call.
  EXPECT_EQ(delta(after, before, "composite"), 1);
  EXPECT_EQ(delta(after, before, "query"), 0);
  EXPECT_EQ(delta(after, before, "describe"), 0);
  EXPECT_EQ(delta(after, before, "sobject"), 0);
  EXPECT_EQ(delta(after, before, "collections"),
            batches(account_creates) + batches(contact_creates) + batches(contact_updates));
  EXPECT_EQ(summary.at("api_calls"), delta(after, before, "total"));

  // Every record written is audited: one audit record per row that wrote fields to it, crediting
  // the rep's file and row; the audit view lists the written fields one per row.
  crmsync::state::Connection state((dir_ / "state" / "crmsync.db").string(), false);
  auto records = state.prepare(
      "SELECT count(*), count(DISTINCT crm_id), sum(rep = '' OR file = '' OR row_number < 1) "
      "FROM audit_records");
  ASSERT_TRUE(records.step());
  EXPECT_LE(records.integer(0), summary.at("created") + summary.at("updated"));
  EXPECT_EQ(records.integer(1), contact_creates + contact_updates);
  EXPECT_EQ(records.integer(2), 0);
  auto fields = state.prepare(
      "SELECT count(*), sum(field = '' OR new_value IS NULL OR policy = '') FROM audit");
  ASSERT_TRUE(fields.step());
  EXPECT_GT(fields.integer(0), records.integer(0));
  EXPECT_EQ(fields.integer(1), 0);
}

TEST_F(Sync, SecondRunWithNothingChangedWritesNothing) {
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  const auto contacts = export_records("Contact").size();
  const auto before = stats();
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto after = stats();
  const auto summary = parse_summary(result.out);
  EXPECT_EQ(summary.at("created"), 0);
  EXPECT_EQ(summary.at("updated"), 0);
  EXPECT_GT(summary.at("unchanged"), 0);
  EXPECT_EQ(delta(after, before, "collections"), 0);
  EXPECT_EQ(delta(after, before, "sobject"), 0);
  // The index refresh of Contact and Account in one composite call; no user lookup (no rows
  // changed).
  EXPECT_EQ(delta(after, before, "composite"), 1);
  EXPECT_EQ(delta(after, before, "query"), 0);
  EXPECT_EQ(export_records("Contact").size(), contacts);
}

// Which journal the database file was last written through: its header's write version (byte
// 18) is 1 for a rollback journal, 2 for a WAL.
int journal_version(const fs::path& database) {
  std::ifstream in(database, std::ios::binary);
  char header[20] = {};
  in.read(header, sizeof header);
  return header[18];
}

// A one-shot sync leaves everything it recorded in crmsync.db itself, no WAL beside it: an admin
// who copies that one file (or a backup tool that takes it alone) has the whole run. A run of
// small commits (no Bulk job) writes through the WAL.
TEST_F(Sync, AOneShotSyncLeavesItsRunInTheDatabaseFileAlone) {
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto written = parse_summary(result.out).at("created");
  ASSERT_GT(written, 0);
  const auto state_dir = dir_ / "state";
  EXPECT_FALSE(fs::exists(state_dir / "crmsync.db-wal"));
  EXPECT_EQ(journal_version(state_dir / "crmsync.db"), 2);
  const auto copy = dir_ / "copied.db";
  fs::copy_file(state_dir / "crmsync.db", copy);
  crmsync::state::Connection copied(copy.string(), false);
  auto audited = copied.prepare("SELECT count(*) FROM audit_records");
  ASSERT_TRUE(audited.step());
  EXPECT_GE(audited.integer(0), written);
}

// Standard output that cannot be written (a full disk, here /dev/full) fails the command with
// EX_IOERR instead of exit 0 over a truncated document; the run itself is done and recorded.
TEST_F(Sync, AnUnwritableOutputFailsTheCommandButNotTheRun) {
  const auto result = crmsync("sync --once --json > /dev/full");
  EXPECT_EQ(result.exit_code, 74) << result.err;
  EXPECT_NE(result.err.find("the plan document could not be written to standard output"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("the run itself completed and is recorded"), std::string::npos);
  const auto text = crmsync("plan > /dev/full");
  EXPECT_EQ(text.exit_code, 74) << text.err;
  EXPECT_NE(text.err.find("the summary could not be written"), std::string::npos) << text.err;
  // Nothing to write again: the first sync's records and links are kept.
  const auto again = crmsync("sync --once --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(parse_summary(again.out).at("created"), 0);
  EXPECT_EQ(parse_summary(again.out).at("updated"), 0);
}

// A reader that goes away before the document is read (`| head`) fails the command as a full
// disk does. It neither kills the process mid-cycle (SIGPIPE: the items are written while the
// sync records its results) nor stops the run.
TEST_F(Sync, AReaderThatGoesAwayFailsTheCommandButNotTheRun) {
  const auto status_file = dir_ / "status";
  const auto err_file = dir_ / "stderr";
  const auto quoted = [](const fs::path& path) { return "'" + path.string() + "'"; };
  // Standard output is a pipe its reader closes after a byte; crmsync's own status is kept.
  sandbox_test::run_command("(" + std::string(CRMSYNC_BINARY) + " -c " + quoted(config_)
                            + " sync --once --json 2>" + quoted(err_file) + "; echo $? >"
                            + quoted(status_file) + ") | head -c 1");
  std::ifstream status_in(status_file);
  int status = -1;
  status_in >> status;
  std::ifstream err_in(err_file);
  const std::string err((std::istreambuf_iterator<char>(err_in)), {});
  EXPECT_EQ(status, 74) << err;
  EXPECT_NE(err.find("the plan document could not be written to standard output"),
            std::string::npos)
      << err;
  const auto again = crmsync("sync --once --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(parse_summary(again.out).at("created"), 0);
  EXPECT_EQ(parse_summary(again.out).at("updated"), 0);
}

TEST_F(Sync, PlanIsADryRun) {
  const auto before = stats();
  const auto result = crmsync("plan --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GT(parse_summary(result.out).at("created"), 0);
  const auto after = stats();
  EXPECT_EQ(delta(after, before, "collections"), 0);
  EXPECT_EQ(delta(after, before, "sobject"), 0);
  EXPECT_EQ(export_records("Contact").size(), 200u);
  EXPECT_FALSE(fs::exists(dir_ / "inbox" / "bob.smith@acme.example" / "reports"));
  // Human-readable too.
  const auto text = crmsync("plan");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("plan (nothing written)"), std::string::npos) << text.out;
}

// A file that is not a spreadsheet gets a report saying so, and a file still being written waits
// for the next cycle; neither stops the other reps' files.
TEST_F(Sync, AnUnreadableFileIsReportedAndAFreshOneWaitsWhileOthersSync) {
  const auto folder = dir_ / "inbox" / "bob.smith@acme.example";
  std::ofstream(folder / "broken.csv", std::ios::binary)
      << std::string("PK\x03\x04garbage", 13) << std::string(64, '\0');
  fs::last_write_time(folder / "broken.csv",
                      fs::file_time_type::clock::now() - std::chrono::hours(1));
  std::ofstream(folder / "uploading.csv")
      << "First Name,Last Name,E-mail\nNew,Person,np@x.example\n";
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GT(parse_summary(result.out).at("created"), 0) << "the other files synced";
  for (const auto& item : parse_items(result.out))
    EXPECT_NE(item.file, "uploading.csv") << "a file changed seconds ago is read next cycle";
  std::ifstream report(folder / "reports" / "broken.csv.report.csv");
  ASSERT_TRUE(report.good()) << "the rep is told about the file that could not be read";
  const std::string text((std::istreambuf_iterator<char>(report)),
                         std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("could not be read"), std::string::npos) << text;
  EXPECT_NE(result.err.find("broken.csv"), std::string::npos) << "and the log names it";
}

// kill -9 at the worst instants of the apply (after a chunk was sent, before its results were
// recorded; and just before sending), then a normal run: the CRM ends exactly as without the
// crash — no duplicate, no lost row.
class CrashRecovery : public EndToEnd, public ::testing::WithParamInterface<std::string> {};

TEST_P(CrashRecovery, RestartCreatesNoDuplicateAndLosesNoRow) {
  const auto crashed = crmsync("sync --once", "CRMSYNC_TEST_CRASH=" + GetParam());
  ASSERT_EQ(crashed.exit_code, 137) << "the crash point was not reached: " << crashed.err;
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto contacts = export_records("Contact");
  EXPECT_EQ(contacts.size(), 200u + truth_clusters());
  expect_no_duplicate_emails(contacts);
  std::set<std::string> accounts;
  for (const auto& account : export_records("Account")) {
    EXPECT_TRUE(accounts.insert(account.at("Name")).second) << account.at("Name") << " twice";
  }
  // Nothing is left to do: a third run is quiet.
  const auto third = crmsync("sync --once --json");
  const auto summary = parse_summary(third.out);
  EXPECT_EQ(summary.at("created"), 0);
  EXPECT_EQ(summary.at("updated"), 0);
}

INSTANTIATE_TEST_SUITE_P(Points, CrashRecovery,
                         ::testing::Values("before_send:1", "after_send:1", "after_send:2",
                                           "before_send:3"),
                         [](const auto& point) {
                           auto name = point.param;
                           for (auto& c : name)
                             if (c == ':') c = '_';
                           return name;
                         });

// The same for a Bulk job: 300 new people in one rep's file, above a bulk_threshold of 200, go out
// as one job, staged as one outbox entry. Killed before the job is sent, or after it ran but
// before its results were recorded, the next run makes each person exactly once: the recovery
// finds each of the job's creates in the CRM and links it, or sends it again.
class BulkCrashRecovery : public EndToEnd, public ::testing::WithParamInterface<std::string> {
 protected:
  static constexpr int kPeople = 300;
  void SetUp() override {
    EndToEnd::SetUp();
    fs::remove_all(dir_ / "inbox");
    const auto folder = dir_ / "inbox" / "bob.smith@acme.example";
    fs::create_directories(folder);
    // Distinct people: random nine-letter last names are never a typo apart.
    std::string csv = "First Name,Last Name,E-mail\n";
    std::uint32_t seed = 42;
    for (int i = 0; i < kPeople; ++i) {
      std::string last(9, 'a');
      for (auto& letter : last) {
        seed = seed * 1664525u + 1013904223u;
        letter = static_cast<char>('a' + (seed >> 16) % 26);
      }
      last[0] = static_cast<char>(last[0] - 'a' + 'A');
      csv += fmt::format("Robin,{0},robin.{0}.{1}@bulk.example\n", last, i);
    }
    write_settled(folder / "bulk.csv", csv);
    add_to_crm("  bulk_threshold: 200\n");
  }
};

TEST_P(BulkCrashRecovery, RestartCreatesEachPersonOnce) {
  const auto contacts_before = export_records("Contact").size();
  const auto crashed = crmsync("sync --once", "CRMSYNC_TEST_CRASH=" + GetParam());
  ASSERT_EQ(crashed.exit_code, 137) << "the crash point was not reached: " << crashed.err;
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GT(stats()["bulk"], 0) << "the creates went out as a Bulk job";
  const auto contacts = export_records("Contact");
  EXPECT_EQ(contacts.size(), contacts_before + kPeople);
  expect_no_duplicate_emails(contacts);
  const auto linked = GetParam().starts_with("after_send") ? kPeople : 0;
  EXPECT_NE(result.err.find(fmt::format("{} found and linked", linked)), std::string::npos)
      << result.err;
  EXPECT_EQ(parse_summary(result.out).at("outbox_pending"), 0);
  const auto third = crmsync("sync --once --json");
  const auto summary = parse_summary(third.out);
  EXPECT_EQ(summary.at("created"), 0);
  EXPECT_EQ(summary.at("updated"), 0);
}

INSTANTIATE_TEST_SUITE_P(Points, BulkCrashRecovery,
                         ::testing::Values("before_send:1", "after_send:1"), [](const auto& point) {
                           auto name = point.param;
                           for (auto& c : name)
                             if (c == ':') c = '_';
                           return name;
                         });

// A Bulk job large enough that its audit records are inserted on a thread of their own while its
// rows are saved: every created row is audited with the record its row set links it to, the rows
// the CRM refused are rejected with its reason, and a second run finds nothing to write.
TEST_F(Sync, ALargeJobIsAuditedAndLinkedRowByRow) {
  constexpr int kPeople = 5000;
  fs::remove_all(dir_ / "inbox");
  const auto folder = dir_ / "inbox" / "bob.smith@acme.example";
  fs::create_directories(folder);
  std::string csv = "First Name,Last Name,E-mail\n";
  for (int i = 0; i < kPeople; ++i) {
    // Every 100th last name is longer than the CRM's 80 characters: refused by the job.
    const auto last = i % 100 == 7 ? std::string(90, 'q') + std::to_string(i)
                                   : fmt::format("Lastname{:c}{}", 'a' + i % 26, i);
    csv += fmt::format("Robin,{},robin.{}@large.example\n", last, i);
  }
  write_settled(folder / "large.csv", csv);
  add_to_crm("  bulk_threshold: 200\n");

  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto summary = parse_summary(result.out);
  EXPECT_EQ(summary.at("created"), kPeople - kPeople / 100);
  EXPECT_EQ(summary.at("rejected"), kPeople / 100);
  EXPECT_GT(stats()["bulk"], 0) << "the creates went out as a Bulk job";

  // The printed items: each row's record, or why it was refused.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(result.out).get(root), simdjson::SUCCESS);
  std::map<std::int64_t, std::string> record_of_row;
  int refused = 0;
  for (const auto item : root["items"].get_array()) {
    const auto row = item.at_pointer("/source/row").get_int64().value();
    const std::string action(item["action"].get_string().value());
    if (action == "create") record_of_row[row] = std::string(item["crm_id"].get_string().value());
    if (action == "reject") {
      ++refused;
      EXPECT_NE(std::string(item["reason"].get_string().value()).find("LastName"),
                std::string::npos);
    }
  }
  EXPECT_EQ(refused, kPeople / 100);

  // Its records went once into the database, through a rollback journal, gone once committed.
  EXPECT_EQ(journal_version(dir_ / "state" / "crmsync.db"), 1);
  for (const auto& entry : fs::directory_iterator(dir_ / "state"))
    EXPECT_EQ(entry.path().filename(), "crmsync.db");
  crmsync::state::Connection state((dir_ / "state" / "crmsync.db").string(), false);
  auto audited = state.prepare("SELECT row_number, crm_id FROM audit_records ORDER BY id");
  std::int64_t records = 0;
  std::int64_t last_row = 0;
  while (audited.step()) {
    ++records;
    const auto row = audited.integer(0);
    EXPECT_GT(row, last_row) << "audited in the rows' order";
    last_row = row;
    ASSERT_TRUE(record_of_row.contains(row)) << "row " << row << " was not created";
    EXPECT_EQ(audited.text(1), record_of_row.at(row)) << "row " << row;
  }
  EXPECT_EQ(records, static_cast<std::int64_t>(record_of_row.size()));

  const auto again = parse_summary(crmsync("sync --once --json").out);
  EXPECT_EQ(again.at("created"), 0);
  EXPECT_EQ(again.at("updated"), 0);
  EXPECT_EQ(export_records("Contact").size(),
            static_cast<std::size_t>(200 + kPeople - kPeople / 100));
}

// 10% of calls fail (500, 503, slow, connection reset, token revoked) and 10% of records are
// locked: cycles may stop on an outage, but repeated runs end with exactly the CRM a fault-free
// run makes — every new person once, nothing duplicated.
class FaultySync : public EndToEnd, public ::testing::WithParamInterface<std::string> {
 protected:
  std::vector<std::string> sandbox_args() override { return {"--faults", GetParam()}; }
};

TEST_P(FaultySync, RepeatedCyclesConvergeToTheFaultFreeResult) {
  int completed_quiet = 0;
  std::string last;
  for (int attempt = 0; attempt < 12 && completed_quiet == 0; ++attempt) {
    const auto result = crmsync("sync --once --json");
    last = result.err;
    if (result.exit_code != 0) continue;  // an outage stopped the cycle: the next one resumes
    const auto summary = parse_summary(result.out);
    if (summary.at("created") == 0 && summary.at("updated") == 0
        && summary.at("outbox_pending") == 0)
      ++completed_quiet;
  }
  ASSERT_EQ(completed_quiet, 1) << "never converged; last stderr: " << last;
  // The faults really happened (else this test proves nothing).
  const auto faults = hooks_->send("GET", "/__sandbox/faults");
  std::int64_t injected = 0;
  for (const auto* kind : {"500", "503", "slow", "reset", "revoke", "lock"})
    injected += std::stoll(faults.json(std::string("/injected/") + kind));
  std::cout << "faults injected: " << faults.body << "\n";
  EXPECT_GT(injected, 0);
  hooks_->send("POST", "/__sandbox/faults", "off");
  const auto contacts = export_records("Contact");
  EXPECT_EQ(contacts.size(), 200u + truth_clusters());
  expect_no_duplicate_emails(contacts);
}

// 10% spread over every kind; and a harsher mix where a fifth of the calls fail outright.
INSTANTIATE_TEST_SUITE_P(
    Faults, FaultySync,
    ::testing::Values("mix=0.1,seed=7", "500=0.08,503=0.08,reset=0.08,revoke=0.06,lock=0.1,seed=3"),
    [](const auto& spec) { return spec.index == 0 ? "Mix10" : "Harsh"; });

}  // namespace
}  // namespace e2e
