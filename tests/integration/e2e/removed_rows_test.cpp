// Rows a rep deletes from a mirrored file, under each `removed_rows` policy: the CRM record is
// never deleted; `ignore` writes nothing and keeps the link, `flag` writes one note on the record
// (not when the row only moved to another file), `unlink` forgets the link so a returning row is
// matched afresh.
#include <fmt/format.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "daemon/state/sqlite_statement.hpp"
#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {
namespace fs = std::filesystem;

const std::string kBob = "bob.smith@acme.example";
// A file of Bob's with three people nobody else has: the first sync creates them, linked.
const std::string kFile = "trade-show.csv";
const std::string kHeader = "First Name,Last Name,E-mail,Company\n";
const std::string kRows[] = {"Quentin,Marlowe,q.marlowe@removed.example,Marlowe Ltd\n",
                             "Ines,Carvalho,ines.carvalho@removed.example,Carvalho SA\n",
                             "Ruth,Okonkwo,ruth.okonkwo@removed.example,Okonkwo Partners\n"};
const std::string kInesEmail = "ines.carvalho@removed.example";
constexpr int kInesRow = 3;

struct RemovedEntry {
  std::string file, crm_id, policy, outcome, note;
  std::int64_t row = 0;
};

std::vector<RemovedEntry> parse_removed(const std::string& json) {
  simdjson::dom::parser parser;
  std::vector<RemovedEntry> out;
  // A copy, not the result's value: a range-for over that would outlive the temporary result.
  const simdjson::dom::array entries = parser.parse(json)["removed"].get_array().value();
  for (auto entry : entries) {
    RemovedEntry removed;
    removed.file = std::string(entry["source"]["file"].get_string().value());
    removed.row = entry["source"]["row"].get_int64().value();
    removed.crm_id = std::string(entry["crm_id"].get_string().value());
    removed.policy = std::string(entry["policy"].get_string().value());
    removed.outcome = std::string(entry["outcome"].get_string().value());
    std::string_view note;
    if (entry["note"].get_string().get(note) == simdjson::SUCCESS) removed.note = note;
    out.push_back(std::move(removed));
  }
  return out;
}

// The match kind the plan gives the row of `file` at `row`.
std::string match_kind_of(const std::string& json, const std::string& file, std::int64_t row) {
  simdjson::dom::parser parser;
  const simdjson::dom::array items = parser.parse(json)["items"].get_array().value();
  for (auto item : items) {
    if (item["source"]["file"].get_string().value() != file) continue;
    if (item["source"]["row"].get_int64().value() != row) continue;
    std::string_view kind;
    if (item["match"]["kind"].get_string().get(kind) == simdjson::SUCCESS) return std::string(kind);
    return "(none)";
  }
  return "(missing)";
}

class RemovedRows : public EndToEnd {
 protected:
  void SetUp() override {
    EndToEnd::SetUp();
    write_settled(bob_file(), kHeader + kRows[0] + kRows[1] + kRows[2]);
  }
  // Contact gets a text field for the flag, as an admin would add one.
  std::vector<std::string> sandbox_args() override {
    const auto schema = dir_ / "schema.yaml";
    std::ofstream(schema) << "objects:\n  - name: Contact\n    fields:\n"
                             "      - { name: Crmsync_Note__c, type: textarea, length: 1000 }\n";
    return {"--schema", schema.string()};
  }
  fs::path bob_file() const { return dir_ / "inbox" / kBob / kFile; }

  void set_policy(const std::string& lines) { add_to_folder_source(lines); }
  // Ines's row deleted from the file.
  void remove_ines() { write_settled(bob_file(), kHeader + kRows[0] + kRows[2]); }
  // ... and put back, at the end.
  void put_ines_back() { write_settled(bob_file(), kHeader + kRows[0] + kRows[2] + kRows[1]); }

  // The state store's status of one of Bob's files.
  std::string item_status(const std::string& file) {
    crmsync::state::Connection state((dir_ / "state" / "crmsync.db").string(), false);
    auto select = state.prepare("SELECT status FROM source_items WHERE owner = ? AND path = ?");
    select.bind(1, kBob).bind(2, file);
    return select.step() ? select.text(0) : "(unknown)";
  }

  std::map<std::string, std::string> ines() {
    for (const auto& contact : export_records("Contact"))
      if (contact.at("Email") == kInesEmail) return contact;
    return {};
  }
};

TEST_F(RemovedRows, IgnoreKeepsTheRecordAndTheLinkAndWritesNothing) {
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  const auto id = ines()["Id"];
  ASSERT_FALSE(id.empty()) << "the first sync created her";
  remove_ines();
  const auto writes_before = write_calls();
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(write_calls(), writes_before);
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 1u) << result.out;
  EXPECT_EQ(removed[0].file, kFile);
  EXPECT_EQ(removed[0].row, kInesRow);
  EXPECT_EQ(removed[0].crm_id, id);
  EXPECT_EQ(removed[0].policy, "ignore");
  EXPECT_EQ(removed[0].outcome, "kept");
  EXPECT_EQ(parse_summary(result.out).at("removed"), 1);
  EXPECT_FALSE(ines().empty()) << "crmsync never deletes a CRM record";

  // Put back: the row is still linked to its record.
  put_ines_back();
  const auto back = crmsync("sync --once --json");
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(parse_summary(back.out).at("created"), 0);
  EXPECT_EQ(match_kind_of(back.out, kFile, 4), "linked");
}

TEST_F(RemovedRows, FlagWritesOneNoteOnTheRecordOnce) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  remove_ines();
  const auto dry = crmsync("plan --json");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  ASSERT_EQ(parse_removed(dry.out).size(), 1u) << dry.out;
  EXPECT_EQ(parse_removed(dry.out)[0].outcome, "planned");
  EXPECT_EQ(ines()["Crmsync_Note__c"], "") << "a dry run writes nothing";

  const auto writes_before = write_calls();
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(write_calls() - writes_before, 1) << "one call carries the flag";
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 1u) << result.out;
  EXPECT_EQ(removed[0].outcome, "flagged");
  const auto note = ines()["Crmsync_Note__c"];
  EXPECT_NE(note.find("Removed from bob.smith@acme.example's file trade-show.csv (row 3)"),
            std::string::npos)
      << note;
  EXPECT_EQ(removed[0].note, note);

  // Flagged once: the next cycle has nothing to do.
  const auto again = crmsync("sync --once --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(parse_removed(again.out).empty()) << again.out;
  EXPECT_EQ(write_calls() - writes_before, 1);
}

// The record is locked when the flag goes out: the row is not forgotten, the next cycle flags it.
TEST_F(RemovedRows, AFlagTheCrmCouldNotTakeYetIsSentNextCycle) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  remove_ines();
  hooks_->send("POST", "/__sandbox/faults", "lock=1");
  const auto locked = crmsync("sync --once --json");
  ASSERT_EQ(locked.exit_code, 0) << locked.err;
  const auto first = parse_removed(locked.out);
  ASSERT_EQ(first.size(), 1u) << locked.out;
  EXPECT_NE(first[0].outcome.find("not flagged yet (UNABLE_TO_LOCK_ROW"), std::string::npos)
      << first[0].outcome;
  EXPECT_EQ(ines()["Crmsync_Note__c"], "");

  hooks_->send("POST", "/__sandbox/faults", "off");
  const auto retried = crmsync("sync --once --json");
  ASSERT_EQ(retried.exit_code, 0) << retried.err << retried.out;
  const auto second = parse_removed(retried.out);
  ASSERT_EQ(second.size(), 1u) << retried.out;
  EXPECT_EQ(second[0].outcome, "flagged");
  EXPECT_NE(ines()["Crmsync_Note__c"].find("trade-show.csv (row 3)"), std::string::npos);
}

TEST_F(RemovedRows, FlagLeavesARowThatMovedToAnotherFileAlone) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  remove_ines();
  write_settled(dir_ / "inbox" / kBob / "moved.csv", kHeader + kRows[1]);
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 1u) << result.out;
  EXPECT_EQ(removed[0].outcome, "not flagged: the record is still in another row");
  EXPECT_EQ(ines()["Crmsync_Note__c"], "");
  EXPECT_EQ(parse_summary(result.out).at("created"), 0);
}

// The service and `sync --once` without --json count an unchanged file's rows instead of listing
// them; a row that moved into such a file still keeps its record from being flagged.
TEST_F(RemovedRows, FlagLeavesARowThatMovedIntoAnUnchangedFileAlone) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  write_settled(dir_ / "inbox" / kBob / "moved.csv", kHeader + kRows[1]);
  ASSERT_EQ(crmsync("sync --once").exit_code, 0) << "moved.csv's row links to Ines by email";
  remove_ines();  // moved.csv is unchanged this cycle: its rows are counted, not listed
  const auto result = crmsync("sync --once");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(ines()["Crmsync_Note__c"], "") << result.out;
  // The summary still counts every unchanged row, listed or not.
  const auto listed = crmsync("plan --json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto unchanged = parse_summary(listed.out).at("unchanged");
  EXPECT_GT(unchanged, 2);
  EXPECT_NE(crmsync("plan").out.find(fmt::format("{} unchanged", unchanged)), std::string::npos);
}

TEST_F(RemovedRows, UnlinkForgetsTheLinkSoAReturningRowIsMatchedAfresh) {
  set_policy("    removed_rows: unlink\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  remove_ines();
  const auto writes_before = write_calls();
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(write_calls(), writes_before) << "unlinking is crmsync's own business";
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 1u) << result.out;
  EXPECT_EQ(removed[0].outcome, "unlinked");
  EXPECT_FALSE(ines().empty()) << "the record stays";

  put_ines_back();
  const auto back = crmsync("sync --once --json");
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(parse_summary(back.out).at("created"), 0);
  EXPECT_EQ(match_kind_of(back.out, kFile, 4), "email");
}

// A mapping keyed by e-mail alone, and a file whose people have none: their rows have no key, so
// each is known by its content. When the rep deletes the first row, the others move up a line; they
// must keep their own records, and the deleted person's record is the one flagged.
TEST_F(RemovedRows, RowsWithoutAKeyKeepTheirRecordsWhenARowAboveIsDeleted) {
  const auto mappings = editable_mappings();
  auto mapping = read_text(mappings / "rep-contacts.yaml");
  const std::string key = "key: [Email, LastName, FirstName]";
  ASSERT_NE(mapping.find(key), std::string::npos);
  mapping.replace(mapping.find(key), key.size(), "key: [Email]");
  std::ofstream(mappings / "rep-contacts.yaml") << mapping;
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");

  const auto file = dir_ / "inbox" / kBob / "no-emails.csv";
  const std::string header = "First Name,Last Name,Phone,Title\n";
  const std::string people[] = {"Walter,Pemberton,+1 415 555 0101,Buyer\n",
                                "Yusuf,Demir,+1 415 555 0102,Engineer\n",
                                "Zofia,Kowalczyk,+1 415 555 0103,Director\n"};
  write_settled(file, header + people[0] + people[1] + people[2]);
  const auto first = crmsync("sync --once --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto by_last_name = [&] {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const auto& contact : export_records("Contact"))
      if (contact.at("Phone").starts_with("+1415555010")) out[contact.at("LastName")] = contact;
    return out;
  };
  const auto before = by_last_name();
  ASSERT_EQ(before.size(), 3u) << first.out;

  write_settled(file, header + people[1] + people[2]);
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(parse_summary(result.out).at("created"), 0) << result.out;
  const auto after = by_last_name();
  ASSERT_EQ(after.size(), 3u);
  for (const auto& [last, contact] : before) {
    EXPECT_EQ(after.at(last).at("FirstName"), contact.at("FirstName")) << last;
    EXPECT_EQ(after.at(last).at("Title"), contact.at("Title")) << last;
  }
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 1u) << result.out;
  EXPECT_EQ(removed[0].crm_id, before.at("Pemberton").at("Id"));
  EXPECT_EQ(removed[0].outcome, "flagged");
  EXPECT_NE(after.at("Pemberton").at("Crmsync_Note__c"), "");
  EXPECT_EQ(after.at("Demir").at("Crmsync_Note__c"), "");
  EXPECT_EQ(after.at("Kowalczyk").at("Crmsync_Note__c"), "");
}

// A mirrored file the rep deletes whole: each of its linked rows goes by the policy, as if deleted
// from the file, once; a file that only got a new name leaves its records alone.
TEST_F(RemovedRows, FlagMarksEveryRecordOfADeletedFileOnce) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  fs::remove(bob_file());
  const auto writes_before = write_calls();
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 3u) << result.out;
  for (const auto& entry : removed) {
    EXPECT_EQ(entry.file, kFile);
    EXPECT_EQ(entry.outcome, "flagged") << entry.crm_id;
  }
  EXPECT_EQ(write_calls() - writes_before, 1) << "the three flags go in one call";
  EXPECT_NE(ines()["Crmsync_Note__c"].find("trade-show.csv (row 3)"), std::string::npos);

  const auto again = crmsync("sync --once --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(parse_removed(again.out).empty()) << again.out;
  EXPECT_EQ(write_calls() - writes_before, 1);

  // Back under its old name: read as a changed file, its rows linked as before.
  write_settled(bob_file(), kHeader + kRows[0] + kRows[1] + kRows[2]);
  const auto back = crmsync("sync --once --json");
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(parse_summary(back.out).at("created"), 0);
  EXPECT_EQ(match_kind_of(back.out, kFile, kInesRow), "linked");
}

TEST_F(RemovedRows, FlagLeavesARenamedFileAlone) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  fs::rename(bob_file(), dir_ / "inbox" / kBob / "trade-show-2026.csv");
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto removed = parse_removed(result.out);
  ASSERT_EQ(removed.size(), 3u) << result.out;
  for (const auto& entry : removed)
    EXPECT_EQ(entry.outcome, "not flagged: the record is still in another row");
  EXPECT_EQ(parse_summary(result.out).at("created"), 0);
  EXPECT_EQ(ines()["Crmsync_Note__c"], "");
}

// A folder the scan could not read whole (here: a symlink it refuses) may hide the file: nothing
// missing from it is taken for deleted until the scan reads it all again.
TEST_F(RemovedRows, AFileMissingBesideARefusedEntryIsNotTakenForDeleted) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  fs::remove(bob_file());
  const auto link = dir_ / "inbox" / kBob / "elsewhere.csv";
  fs::create_symlink(dir_ / "schema.yaml", link);
  const auto held = crmsync("sync --once --json");
  ASSERT_EQ(held.exit_code, 0) << held.err;
  EXPECT_TRUE(parse_removed(held.out).empty()) << held.out;
  EXPECT_NE(held.err.find("the scan refused part of its folder"), std::string::npos) << held.err;
  EXPECT_EQ(ines()["Crmsync_Note__c"], "");

  fs::remove(link);
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(parse_removed(result.out).size(), 3u) << result.out;
}

// An inbox with no files at all looks like a share that is not mounted: nothing is flagged.
TEST_F(RemovedRows, AnInboxWithNoFilesFlagsNothing) {
  set_policy("    removed_rows: flag\n    removed_flag_field: Crmsync_Note__c\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  for (const auto& rep : fs::directory_iterator(dir_ / "inbox"))
    for (const auto& entry : fs::recursive_directory_iterator(rep.path()))
      if (entry.is_regular_file() && entry.path().parent_path().filename() != "reports")
        fs::remove(entry.path());
  const auto writes_before = write_calls();
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(parse_removed(result.out).empty()) << result.out;
  EXPECT_EQ(write_calls(), writes_before);
  EXPECT_NE(result.err.find("no files at all"), std::string::npos) << result.err;
}

// A dry run records nothing: a deleted file with nothing linked left is marked deleted by the
// sync, not by `plan`.
TEST_F(RemovedRows, ADryRunLeavesADeletedFileToTheSync) {
  const auto notes = dir_ / "inbox" / kBob / "notes.csv";
  write_settled(notes, kHeader + "Nobody,,,\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  const auto status_before = item_status("notes.csv");
  ASSERT_NE(status_before, "deleted");
  fs::remove(notes);
  ASSERT_EQ(crmsync("plan").exit_code, 0);
  EXPECT_EQ(item_status("notes.csv"), status_before);
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  EXPECT_EQ(item_status("notes.csv"), "deleted");
}

TEST_F(RemovedRows, FlagWithoutAFieldIsAConfigError) {
  set_policy("    removed_rows: flag\n");
  const auto result = crmsync("validate");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("removed_rows: flag needs 'removed_flag_field'"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace e2e
