// The audit writer on a real state database: records in statements of 100 and one.
#include "daemon/state/audit_records.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "daemon/state/state_store.hpp"
#include "tests/support/scratch_dir.hpp"

namespace crmsync::state {
namespace {

class AuditRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = StateStore::open(dir_);
    run_ = store_->start_run("sync");
  }
  void TearDown() override { store_.reset(); }
  std::vector<std::string> stored() {
    auto select = store_->connection().prepare(
        "SELECT run_id, at, object, crm_id, changes_json, rep, file, sheet, row_number "
        "FROM audit_records ORDER BY id");
    std::vector<std::string> lines;
    while (select.step()) {
      std::string line;
      for (int c = 0; c < 9; ++c)
        line += (c ? "|" : "") + select.text(c);
      lines.push_back(line);
    }
    return lines;
  }
  const test_support::ScratchDir scratch_{"crmsync-audit"};
  const std::filesystem::path dir_ = scratch_.path();
  std::unique_ptr<StateStore> store_;
  std::int64_t run_ = 0;
};

// 0, 1, 99, 100 and 250 records: none, single statements only, full statements only, and both.
// Every value lands in its own column, in the records' order.
TEST_F(AuditRecordsTest, EveryRecordIsStoredWholeInItsOrder) {
  AuditRecords audit(store_->connection(), run_);
  std::size_t total = 0;
  for (const std::size_t count : {0u, 1u, 99u, 100u, 250u}) {
    std::vector<std::string> ids, changes;
    for (std::size_t i = 0; i < count; ++i) {
      ids.push_back("003SB" + std::to_string(total + i));
      changes.push_back(R"([["Email",null,"p)" + std::to_string(i)
                        + R"(@x.example","fill_empty"]])");
    }
    std::vector<AuditRecord> records;
    for (std::size_t i = 0; i < count; ++i)
      records.push_back({"Contact", ids[i], changes[i], "bob@acme.example", "leads.xlsx", "Leads",
                         static_cast<std::int64_t>(i + 2)});
    Transaction transaction(store_->connection());
    audit.insert(records, "2026-11-30T10:00:00.000Z");
    transaction.commit();
    const auto lines = stored();
    ASSERT_EQ(lines.size(), total + count) << count << " records";
    for (std::size_t i = 0; i < count; ++i)
      EXPECT_EQ(lines[total + i],
                std::to_string(run_) + "|2026-11-30T10:00:00.000Z|Contact|" + ids[i] + "|"
                    + changes[i] + "|bob@acme.example|leads.xlsx|Leads|" + std::to_string(i + 2))
          << count << " records, record " << i;
    total += count;
  }
  audit.close();
}

}  // namespace
}  // namespace crmsync::state
