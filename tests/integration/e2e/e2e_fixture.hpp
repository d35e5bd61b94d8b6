// End-to-end test support: a crmsync-sandbox seeded with the demo org (config/demo/crm, a copy
// of shared/data/world-small/crm), a copy of the demo inbox whose files look settled (mtime in
// the past), a configuration written by the sandbox, and the crmsync binary run as users run it.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/integration/sandbox/sandbox_fixture.hpp"

namespace e2e {

using Result = sandbox_test::CommandResult;

// Runs crmsync with `arguments` (already shell-quoted) and the extra environment assignments.
Result run_crmsync(const std::string& arguments, const std::string& environment = "");

struct TruthRow {
  std::string rep, file, sheet;
  int row = 0;
  std::string expect;  // match:<Id> | new:<cluster> | reject:<reason>
};
// tests/data/world-small/truth.csv by default.
std::vector<TruthRow> load_truth(const std::string& file = "");

// One plan item, as `plan --json` / `sync --once --json` print it.
struct Item {
  std::string rep, file, sheet;
  int row = 0;
  std::string action, crm_id, cluster, reason;
  std::string match_kind;  // match.kind; empty when the item has no match
};
std::vector<Item> parse_items(const std::string& json);
std::map<std::string, std::int64_t> parse_summary(const std::string& json);

// How a plan compares with the truth.
struct Accuracy {
  int truth_rows = 0, missing = 0;
  int match_rows = 0, matched_right = 0, predicted_matches = 0, creates_for_match = 0;
  int new_clusters = 0, clusters_one_create = 0;
  int reject_rows = 0, rejected_right = 0, review_rows = 0;
  std::vector<std::string> problems;
  double precision() const {
    return predicted_matches == 0 ? 1.0 : double(matched_right) / predicted_matches;
  }
  double recall() const { return match_rows == 0 ? 1.0 : double(matched_right) / match_rows; }
  std::string figures() const;
};
Accuracy score_plan(const std::vector<Item>& items, const std::vector<TruthRow>& truth);

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  virtual std::vector<std::string> sandbox_args() { return {}; }
  // The world: the CRM the sandbox is seeded with and the inbox copied for the test.
  virtual std::string crm_dir();
  virtual std::string inbox_dir();

  Result crmsync(const std::string& arguments, const std::string& environment = "");
  // /__sandbox/stats: calls by kind, plus "total".
  std::map<std::string, std::int64_t> stats();
  // /__sandbox/export/<object>: every record, field -> value (null as empty).
  std::vector<std::map<std::string, std::string>> export_records(const std::string& object);
  void restart_sandbox_keep_state();
  // Calls that write (collections, sObject, Bulk), from /__sandbox/stats.
  std::int64_t write_calls();
  // A copy of the shipped mappings in the test's folder, which the configuration then reads: the
  // test edits it as an admin would.
  std::filesystem::path editable_mappings();
  // A client of the sandbox's API, signed in: records "another system" made, seeded by tests.
  std::unique_ptr<sandbox_test::HttpClient> signed_in_api();
  // Adds `lines`, indented as settings of the folder source, to the written configuration.
  void add_to_folder_source(const std::string& lines);
  // Adds `lines`, indented as settings of the CRM, to the written configuration.
  void add_to_crm(const std::string& lines);
  // Inserts `lines` into the written configuration after the first occurrence of `after`.
  void insert_into_config(const std::string& after, const std::string& lines);
  // Writes `text` to `file` dated an hour ago, so the inbox sees a settled file.
  static void write_settled(const std::filesystem::path& file, const std::string& text);
  static std::string read_text(const std::filesystem::path& file);

  std::filesystem::path dir_;
  std::filesystem::path config_;
  std::unique_ptr<sandbox_test::SandboxProcess> sandbox_;
  std::unique_ptr<sandbox_test::HttpClient> hooks_;
};

}  // namespace e2e
