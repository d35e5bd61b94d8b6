// Matching accuracy through `crmsync plan --json` against the sandbox, scored against the truth:
// match precision >= 99.5 %, recall >= 97 %, every `new:` person exactly one create, no create
// for a `match:` row, every `reject:` row rejected with a reason, no truth row missing from the
// plan. On the demo world (shared/data/world-small) and on a larger world made by
// bench/world/generate_world.py with the same kinds of noise.
#include <fmt/format.h>

#include <cstdlib>

#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {

void expect_accurate(const Accuracy& a, const std::string& world) {
  std::cout << "accuracy on " << world << ": " << a.figures() << "\n";
  for (const auto& problem : a.problems)
    std::cout << "  " << problem << "\n";
  EXPECT_EQ(a.missing, 0);
  EXPECT_GE(a.precision(), 0.995) << a.predicted_matches - a.matched_right << " wrong match(es)";
  EXPECT_GE(a.recall(), 0.97);
  EXPECT_EQ(a.clusters_one_create, a.new_clusters);
  EXPECT_EQ(a.creates_for_match, 0);
  EXPECT_EQ(a.rejected_right, a.reject_rows);
}

class DemoWorld : public EndToEnd {};

TEST_F(DemoWorld, PlanAgreesWithTheTruth) {
  const auto result = crmsync("plan --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto items = parse_items(result.out);
  ASSERT_FALSE(items.empty()) << result.out.substr(0, 500) << result.err;
  expect_accurate(score_plan(items, load_truth()), "world-small");
}

// 2,000 CRM contacts and 6 reps' files of 300 rows, generated for the test.
class GeneratedWorld : public EndToEnd {
 protected:
  void SetUp() override {
    world_ = sandbox_test::make_temp_dir() / "world";
    const auto command = fmt::format(
        "python3 '{}/bench/world/generate_world.py' '{}' --contacts 2000 --reps 6 --rows 300 "
        "--seed 11 >/dev/null",
        CRMSYNC_SOURCE_DIR, world_.string());
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    EndToEnd::SetUp();
  }
  void TearDown() override {
    EndToEnd::TearDown();
    sandbox_test::remove_temp_dir(world_.parent_path());
  }
  std::string crm_dir() override { return (world_ / "crm").string(); }
  std::string inbox_dir() override { return (world_ / "inbox").string(); }
  std::filesystem::path world_;
};

TEST_F(GeneratedWorld, PlanAgreesWithTheTruth) {
  const auto result = crmsync("plan --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  expect_accurate(score_plan(parse_items(result.out), load_truth((world_ / "truth.csv").string())),
                  "a generated world");
}

}  // namespace
}  // namespace e2e
