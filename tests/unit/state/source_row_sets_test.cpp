// Row sets on a real state database: what a chunk appends, what a cycle's end writes, what a
// crash between the two leaves, and the rows of schema 8 carried over.
#include "daemon/state/source_row_sets.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "daemon/state/migrations.hpp"
#include "daemon/state/state_store.hpp"
#include "tests/support/scratch_dir.hpp"
#include "tests/unit/state/older_schema.hpp"

namespace crmsync::state {
namespace {

StoredRow row(std::string key, std::int64_t number, std::string status,
              std::optional<std::string> crm_id = std::nullopt) {
  StoredRow stored;
  stored.object = "Contact";
  stored.row_key = std::move(key);
  stored.content_hash = "hash-" + stored.row_key;
  stored.crm_id = std::move(crm_id);
  stored.sheet = "Leads";
  stored.row_number = number;
  stored.status = std::move(status);
  stored.last_seen_run = 1;
  return stored;
}

std::vector<std::string> keys_of(const SourceRowSet& set) {
  std::vector<std::string> keys;
  for (const auto& stored : set.rows())
    keys.push_back(stored.row_key + "=" + stored.status);
  return keys;
}

class SourceRowSetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = StateStore::open(dir_);
    store_->connection().execute(
        "INSERT INTO source_items (id, source, owner, path, status) VALUES (1, 'reps', "
        "'bob@acme.example', 'leads.xlsx', 'synced')");
  }
  void TearDown() override { store_.reset(); }
  std::int64_t parts() {
    auto count =
        store_->connection().prepare("SELECT count(*) FROM source_row_sets WHERE item_id = 1");
    count.step();
    return count.integer(0);
  }
  // Appends the rows as one chunk would: put into the set, then written as a part.
  void append(SourceRowSets& sets, std::vector<StoredRow> rows) {
    auto& set = sets.change_in_part(1);
    std::vector<const StoredRow*> changed;
    std::vector<std::size_t> at;
    for (auto& stored : rows)
      at.push_back(static_cast<std::size_t>(&set.put(std::move(stored)) - set.rows().data()));
    for (const auto i : at)
      changed.push_back(&set.rows()[i]);
    sets.append_part(1, changed);
  }

  const test_support::ScratchDir scratch_{"crmsync-row-sets"};
  const std::filesystem::path dir_ = scratch_.path();
  std::unique_ptr<StateStore> store_;
};

// A new file written in one chunk (a Bulk job) is one part: the cycle's end does not write it
// again, and it reads back in file order, its listed rows apart.
TEST_F(SourceRowSetsTest, ANewFileWrittenInOneChunkIsOnePartInFileOrder) {
  {
    SourceRowSets sets(store_->connection());
    append(sets, {row("c", 4, "created", "003C"), row("a", 2, "rejected"),
                  row("b", 3, "created", "003B")});
    sets.update();
  }
  EXPECT_EQ(parts(), 1);
  SourceRowSets sets(store_->connection());
  const auto listed = sets.listed_rows(1);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->settled, 2);
  ASSERT_EQ(listed->listed.size(), 1u);
  EXPECT_EQ(listed->listed[0].row_key, "a");
  EXPECT_EQ(keys_of(sets.read(1)),
            (std::vector<std::string>{"a=rejected", "b=created", "c=created"}));
  EXPECT_EQ(sets.read(1).find("Contact", "c")->crm_id, "003C");
}

// A crash after two chunks and before the cycle's end: reading applies the parts in order (the
// later chunk's row replaces the earlier one), and the listed rows are not taken from one part.
// The next cycle's end writes the file as one part again.
TEST_F(SourceRowSetsTest, PartsLeftByACrashReadInOrderAndAreWrittenAsOneNextTime) {
  {
    SourceRowSets sets(store_->connection());
    append(sets, {row("a", 2, "pending"), row("b", 3, "created", "003B")});
    append(sets, {row("a", 2, "created", "003A")});
  }
  EXPECT_EQ(parts(), 2);
  SourceRowSets sets(store_->connection());
  EXPECT_FALSE(sets.listed_rows(1));
  EXPECT_EQ(keys_of(sets.read(1)), (std::vector<std::string>{"a=created", "b=created"}));
  EXPECT_EQ(sets.read(1).find("Contact", "a")->crm_id, "003A");
  sets.update();
  EXPECT_EQ(parts(), 1);
  SourceRowSets again(store_->connection());
  EXPECT_EQ(keys_of(again.read(1)), (std::vector<std::string>{"a=created", "b=created"}));
  ASSERT_TRUE(again.listed_rows(1));
  EXPECT_EQ(again.listed_rows(1)->settled, 2);
}

// A change outside a chunk (a row marked removed at the cycle's end) is written by update(),
// and only for the sets given to change().
TEST_F(SourceRowSetsTest, ChangedSetsAreWrittenAtTheEndAndOthersAreLeft) {
  {
    SourceRowSets sets(store_->connection());
    append(sets, {row("a", 2, "created", "003A"), row("b", 3, "created", "003B")});
    sets.update();
  }
  {
    SourceRowSets sets(store_->connection());
    sets.read(1);
    sets.update();  // only read: nothing written
    sets.change(1).find("Contact", "b")->status = "removed";
    sets.update();
  }
  SourceRowSets sets(store_->connection());
  EXPECT_EQ(keys_of(sets.read(1)), (std::vector<std::string>{"a=created", "b=removed"}));
  EXPECT_EQ(sets.listed_rows(1)->settled, 1);
  EXPECT_EQ(parts(), 1);
}

// Text that is not a row set crmsync wrote is an error naming the file's item and part, never a
// set read half-way.
TEST_F(SourceRowSetsTest, AMalformedPartIsAnErrorNamingItsItemAndPart) {
  store_->connection().execute(
      "INSERT INTO source_row_sets (item_id, part, rows_json) VALUES (1, 0, "
      "'[[\"Contact\",\"a\",\"h\",null,null,\"\",2,\"created\",1,\"\"],[\"Contact\",\"b\"]]')");
  SourceRowSets sets(store_->connection());
  try {
    sets.read(1);
    FAIL() << "read a malformed part";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), ErrorCategory::config);
    EXPECT_NE(std::string(error.what()).find("part 0 of the rows of source item 1"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("not an array of 10 values"), std::string::npos)
        << error.what();
  }
}

// The look-up index grows as rows are put; keys that differ only in their object are different
// rows, and a slot for a stored row keeps what the caller does not overwrite.
TEST(SourceRowSet, FindsEveryRowPutAndASlotKeepsTheStoredValues) {
  SourceRowSet set;
  constexpr int kRows = 5000;
  for (int n = 0; n < kRows; ++n)
    set.put(row("k" + std::to_string(n), n + 2, "created", "003" + std::to_string(n)));
  auto account = row("k7", 1, "created", "001A");
  account.object = "Account";
  set.put(account);
  ASSERT_EQ(set.rows().size(), static_cast<std::size_t>(kRows + 1));
  for (int n = 0; n < kRows; ++n) {
    const auto* found = set.find("Contact", "k" + std::to_string(n));
    ASSERT_NE(found, nullptr) << n;
    EXPECT_EQ(found->crm_id, "003" + std::to_string(n));
  }
  EXPECT_EQ(set.find("Account", "k7")->crm_id, "001A");
  EXPECT_EQ(set.find("Contact", "k" + std::to_string(kRows)), nullptr);
  EXPECT_EQ(set.find("Lead", "k7"), nullptr);

  auto& kept = set.slot("Contact", "k42");
  EXPECT_EQ(kept.crm_id, "00342");
  kept.status = "updated";
  EXPECT_EQ(set.find("Contact", "k42")->status, "updated");
  auto& fresh = set.slot("Contact", "new");
  EXPECT_EQ(fresh.object, "Contact");
  EXPECT_EQ(fresh.row_key, "new");
  EXPECT_FALSE(fresh.crm_id);
  EXPECT_EQ(set.rows().size(), static_cast<std::size_t>(kRows + 2));
  // Put again: replaced in place, not added.
  set.put(row("k42", 44, "unchanged", "003X"));
  EXPECT_EQ(set.rows().size(), static_cast<std::size_t>(kRows + 2));
  EXPECT_EQ(set.find("Contact", "k42")->crm_id, "003X");
}

// Room made for the rows to come: they are added without moving the rows already held, and
// every row, old and new, is still found.
TEST(SourceRowSet, RowsAddedIntoReservedRoomStayWhereTheyAreAndAreFound) {
  SourceRowSet set;
  set.put(row("old", 2, "created", "003OLD"));
  constexpr int kMore = 3000;
  set.reserve_more(kMore);
  const auto* first = &set.rows().front();
  for (int n = 0; n < kMore; ++n)
    set.slot("Contact", "k" + std::to_string(n)).row_number = n + 3;
  EXPECT_EQ(&set.rows().front(), first) << "the rows were moved: the room was not made";
  ASSERT_EQ(set.rows().size(), static_cast<std::size_t>(kMore + 1));
  EXPECT_EQ(set.find("Contact", "old")->crm_id, "003OLD");
  for (int n = 0; n < kMore; ++n)
    ASSERT_EQ(set.find("Contact", "k" + std::to_string(n))->row_number, n + 3) << n;
}

// Room made a small chunk at a time (a sync by sObject Collections saves 200 rows a chunk) still
// grows by doubling: made to the exact size, 10,000 rows were moved 50 times over.
TEST(SourceRowSet, RoomMadeChunkByChunkGrowsByDoubling) {
  SourceRowSet set;
  int moves = 0;
  const StoredRow* held = nullptr;
  for (int chunk = 0; chunk < 50; ++chunk) {
    set.reserve_more(200);
    if (!set.rows().empty() && set.rows().data() != held) ++moves;
    for (int n = 0; n < 200; ++n)
      set.slot("Contact", "k" + std::to_string(chunk * 200 + n));
    held = set.rows().data();
  }
  EXPECT_EQ(set.rows().size(), 10000U);
  EXPECT_LE(moves, 7) << "10,000 rows in chunks of 200: 6 doublings from 200";
}

TEST(RowsJson, RoundTripsNullsNumbersAndText) {
  StoredRow stored = row("quote\"and\\back", 7, "review");
  stored.applied_hash = "applied";
  stored.last_seen_run.reset();
  stored.reason = "two candidates: 003A, 003B";
  const StoredRow* rows[] = {&stored};
  std::vector<StoredRow> back;
  parse_rows_json(rows_json(rows), "test", back);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].row_key, stored.row_key);
  EXPECT_EQ(back[0].applied_hash, "applied");
  EXPECT_FALSE(back[0].crm_id);
  EXPECT_EQ(back[0].row_number, 7);
  EXPECT_FALSE(back[0].last_seen_run);
  EXPECT_EQ(back[0].reason, stored.reason);
}

// The stored text is what every earlier database holds: written by hand now, it must stay the
// same bytes, commas, nulls and escapes included.
TEST(RowsJson, WritesTheStoredFormatExactly) {
  StoredRow first = row("k\"1", 3, "created", "003A");
  first.applied_hash = first.content_hash;
  StoredRow second = row("k2", 4, "rejected");
  second.last_seen_run.reset();
  second.reason = "no e-mail\n";
  const StoredRow* rows[] = {&first, &second};
  EXPECT_EQ(rows_json(rows),
            R"([["Contact","k\"1","hash-k\"1","hash-k\"1","003A","Leads",3,"created",1,""],)"
            R"(["Contact","k2","hash-k2",null,null,"Leads",4,"rejected",null,"no e-mail\n"]])");
  EXPECT_EQ(rows_json({}), "[]");
}

// Rows and reviews of a schema-8 database: the rows become one row set per file, in file order
// with their counts, and a review keeps the place of its row.
TEST(RowSetsMigration, Schema8RowsBecomeRowSetsAndReviewsKeepTheirPlace) {
  const test_support::ScratchDir scratch("crmsync-row-sets-migration");
  const auto& dir = scratch.path();
  {
    Connection old((dir / StateStore::kFileName).string(), true);
    migrate_to(old, 8);
    old.execute(
        "INSERT INTO runs (id, kind, started_at, status) VALUES (1, 'sync', '2026-01-01', "
        "'completed');"
        "INSERT INTO source_items (id, source, owner, path, status) VALUES "
        "(1, 'reps', 'bob@acme.example', 'leads.xlsx', 'synced'),"
        "(2, 'reps', 'ann@acme.example', 'c.csv', 'synced'),"
        "(3, 'reps', 'ann@acme.example', 'd.csv', 'synced');"
        "INSERT INTO source_rows (item_id, object, row_key, content_hash, applied_hash, crm_id, "
        "sheet, row_number, status, last_seen_run, reason) VALUES "
        "(1, 'Contact', 'k3', 'h3', 'h3', '003C', 'Leads', 3, 'created', 1, NULL),"
        "(1, 'Contact', 'k2', 'h2', NULL, NULL, 'Leads', 2, 'review', 1, 'two candidates'),"
        "(1, 'Contact', 'k9', 'h9', NULL, NULL, 'Leads', 9, 'removed', NULL, NULL),"
        "(2, 'Contact', 'x', 'hx', NULL, NULL, '', 2, 'rejected', 1, 'no email'),"
        "(3, 'Contact', 'y', 'hy', 'hy', '003Y', '', 2, 'unchanged', 1, NULL);"
        "INSERT INTO review_queue (created_run, object, item_id, row_key, candidates_json, "
        "evidence_json, state) VALUES (1, 'Contact', 1, 'k2', '[\"003A\",\"003B\"]', '[]', "
        "'open');");
  }
  {
    auto store = StateStore::open(dir);
    SourceRowSets sets(store->connection());
    EXPECT_EQ(keys_of(sets.read(1)),
              (std::vector<std::string>{"k2=review", "k3=created", "k9=removed"}));
    const auto* created = sets.read(1).find("Contact", "k3");
    ASSERT_NE(created, nullptr);
    EXPECT_EQ(created->applied_hash, "h3");
    EXPECT_EQ(created->crm_id, "003C");
    EXPECT_EQ(created->last_seen_run, 1);
    EXPECT_EQ(created->reason, "");
    EXPECT_EQ(sets.read(1).find("Contact", "k2")->reason, "two candidates");
    EXPECT_FALSE(sets.read(1).find("Contact", "k9")->last_seen_run);
    EXPECT_EQ(keys_of(sets.read(2)), (std::vector<std::string>{"x=rejected"}));
    SourceRowSets fresh(store->connection());
    const auto listed = fresh.listed_rows(1);
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->settled, 1);
    ASSERT_EQ(listed->listed.size(), 1u);
    EXPECT_EQ(listed->listed[0].reason, "two candidates");
    ASSERT_TRUE(fresh.listed_rows(3));
    EXPECT_EQ(fresh.listed_rows(3)->settled, 1);
    EXPECT_TRUE(fresh.listed_rows(3)->listed.empty());
    auto review = store->connection().prepare("SELECT sheet, row_number FROM review_queue");
    ASSERT_TRUE(review.step());
    EXPECT_EQ(review.text(0), "Leads");
    EXPECT_EQ(review.integer(1), 2);
    // The view still lists a row per stored row, for a look with the sqlite3 shell.
    auto view = store->connection().prepare(
        "SELECT count(*) FROM source_rows WHERE crm_id = '003C' AND status = 'created'");
    ASSERT_TRUE(view.step());
    EXPECT_EQ(view.integer(0), 1);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace crmsync::state
