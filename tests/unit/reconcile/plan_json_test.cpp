// The plan document: its members, and its items written ahead to standard output while a sync
// records its results.
#include "daemon/reconcile/plan/plan_json.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <ext/stdio_filebuf.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "tests/support/scratch_dir.hpp"

namespace crmsync::reconcile {
namespace {

Plan plan_of(std::size_t rows) {
  Plan plan;
  for (std::size_t i = 0; i < rows; ++i) {
    SourceRow row;
    row.item_id = 1;
    row.mapped.from = {"reps",
                       "bob@acme.example",
                       "leads \"2026\".xlsx",
                       "Leads",
                       static_cast<std::uint32_t>(i + 2),
                       {}};
    plan.rows.push_back(std::move(row));
    RowPlan decision;
    decision.action = i % 3 == 0 ? RowAction::create : RowAction::update;
    decision.crm_id = "003SB" + std::to_string(100000 + i);
    decision.reason = i % 7 == 0 ? "Straße \\ \"quoted\"\n" : "";
    decision.match = "email";
    decision.score = 0.5 + static_cast<double>(i % 5) / 10;
    decision.evidence = {"same email"};
    decision.fields.push_back({"Email", std::nullopt,
                               plan.texts.keep("person" + std::to_string(i) + "@x.example"),
                               FieldAction::write, mappings::ConflictPolicy::fill_empty, ""});
    decision.fields.push_back({"Title", "CEO", "CTO", FieldAction::keep,
                               mappings::ConflictPolicy::fill_empty, "the CRM has a value"});
    plan.decisions.push_back(std::move(decision));
  }
  return plan;
}

CycleSummary summary_of_run_7() {
  CycleSummary summary;
  summary.run_id = 7;
  summary.status = "completed";
  summary.created = 3;
  return summary;
}

std::string document(const Plan& plan) {
  std::ostringstream out;
  write_plan_json(out, plan, summary_of_run_7(), false);
  return std::move(out).str();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// The document written in two steps, its items to a descriptor (standard output) while a sync
// records its results and the rest through the stream at the end, is byte for byte the one
// written at once. 5,000 rows are several megabytes: more than one write to the descriptor.
// Opened to append or not, as standard output may be.
TEST(StreamedItems, TheDocumentIsTheSameAsWrittenAtOnce) {
  const test_support::ScratchDir scratch("crmsync-plan-json");
  const auto path = scratch / "plan.json";
  for (const std::size_t rows : {std::size_t{0}, std::size_t{1}, std::size_t{5000}})
    for (const int append : {0, O_APPEND}) {
      const auto plan = plan_of(rows);
      std::filesystem::remove(path);
      const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | append, 0600);
      ASSERT_GE(fd, 0);
      {
        __gnu_cxx::stdio_filebuf<char> buffer(fd, std::ios::out);  // closes fd
        std::ostream out(&buffer);
        const auto streamed = StreamedItems::write(fd, plan, 7, false);
        EXPECT_TRUE(streamed);
        EXPECT_TRUE(streamed.complete());
        write_plan_json(out, plan, summary_of_run_7(), false, &streamed);
        out.flush();
        EXPECT_TRUE(out.good());
      }
      const auto expected = document(plan);
      const auto written = read_file(path);
      EXPECT_EQ(written.size(), expected.size()) << rows << " rows, append " << append;
      EXPECT_TRUE(written == expected) << rows << " rows, append " << append;
    }
}

// A descriptor that refuses the items (a full disk, a reader gone) leaves the document cut:
// the stream is failed, so the command says so, and nothing is written after the cut.
TEST(StreamedItems, ItemsTheDescriptorRefusedFailTheStream) {
  const int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const auto plan = plan_of(10);
  const auto streamed = StreamedItems::write(fd, plan, 7, false);
  close(fd);
  EXPECT_TRUE(streamed);
  EXPECT_FALSE(streamed.complete());
  std::ostringstream out;
  write_plan_json(out, plan, summary_of_run_7(), false, &streamed);
  EXPECT_TRUE(out.bad());
  EXPECT_EQ(out.str(), "");
}

// The summary comes last, after the items and the removed rows: it is known only when the
// run is over, and the items go out before that.
TEST(StreamedItems, TheDocumentsMembersAreInTheContractsOrder) {
  const auto text = document(plan_of(2));
  const auto at = [&](const char* member) { return text.find(member); };
  ASSERT_EQ(text.rfind(R"({"run":7,"dry_run":false,"items":[)", 0), 0u) << text;
  EXPECT_LT(at(R"("items":[)"), at(R"("removed":[])"));
  EXPECT_LT(at(R"("removed":[])"), at(R"("status":"completed")"));
  EXPECT_LT(at(R"("status":"completed")"), at(R"("summary":{"created":3,)"));
  EXPECT_EQ(text.substr(text.size() - 2), "}\n");
}

// An item's members, in the contract's order, with every kind of value: escaped text, a row
// number, a fractional score, evidence, candidates, an old value and a null one.
TEST(PlanDocument, AnItemIsWrittenMemberByMemberAsTheContractSays) {
  Plan plan = plan_of(1);
  auto& decision = plan.decisions[0];
  decision.action = RowAction::review;
  decision.crm_id.clear();
  decision.reason = "two candidates";
  decision.match = "fuzzy";
  decision.score = 0.875;
  decision.evidence = {"last name 'smyth' ~ 'smith' (0.95)"};
  decision.candidates = {"003A", "003B"};
  // A custom delimiter: the evidence holds ")\"".
  const std::string expected =
      R"x({"source":{"source":"reps","rep":"bob@acme.example","file":"leads \"2026\".xlsx",)x"
      R"x("sheet":"Leads","row":2},"action":"review","crm_id":"","cluster":"",)x"
      R"x("reason":"two candidates","match":{"kind":"fuzzy","score":0.875,)x"
      R"x("evidence":["last name 'smyth' ~ 'smith' (0.95)"]},"candidates":["003A","003B"],)x"
      R"x("fields":{"Email":{"old":null,"new":"person0@x.example","policy":"fill_empty",)x"
      R"x("decision":"write","reason":""},"Title":{"old":"CEO","new":"CTO",)x"
      R"x("policy":"fill_empty","decision":"keep","reason":"the CRM has a value"}}})x";
  const auto at_the_end = document(plan);
  EXPECT_NE(at_the_end.find(R"("items":[)" + expected + "]"), std::string::npos) << at_the_end;
  decision.score = std::nan("");
  EXPECT_NE(document(plan).find(R"("score":null)"), std::string::npos);

  // A removed row's `source` is written as an item's is.
  RemovedRow removed;
  removed.from = {"reps", "bob@acme.example", "old \"list\".csv", "", 9, {}};
  removed.crm_id = "003C";
  removed.action = RemovedRow::Action::flag;
  removed.note = "gone from the file";
  plan.removed.push_back(removed);
  EXPECT_NE(
      document(plan).find(R"x("removed":[{"source":{"source":"reps","rep":"bob@acme.example",)x"
                          R"x("file":"old \"list\".csv","sheet":"","row":9},"crm_id":"003C",)x"
                          R"x("policy":"flag","outcome":"planned","note":"gone from the file"}])x"),
      std::string::npos)
      << document(plan);
}

}  // namespace
}  // namespace crmsync::reconcile
