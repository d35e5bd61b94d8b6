// The plan document with its items rendered ahead (into a temporary file, while a sync records
// its results) is byte for byte the document rendered at the end.
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

std::string document(const Plan& plan, const RenderedItems* rendered) {
  CycleSummary summary;
  summary.run_id = 7;
  summary.status = "completed";
  summary.created = 3;
  std::ostringstream out;
  write_plan_json(out, plan, summary, false, rendered);
  return std::move(out).str();
}

// 5,000 rows are several megabytes: more than one flush into the file and one block back.
TEST(RenderedItems, TheDocumentIsTheSameAsRenderedAtTheEnd) {
  for (const std::size_t rows : {std::size_t{0}, std::size_t{1}, std::size_t{5000}}) {
    const auto plan = plan_of(rows);
    const auto rendered = RenderedItems::render(plan);
    ASSERT_TRUE(rendered) << "no temporary file could be written";
    const auto at_the_end = document(plan, nullptr);
    EXPECT_EQ(document(plan, &rendered), at_the_end) << rows << " rows";
    // Copied again (a second document from the same rendering) it is still the same.
    EXPECT_EQ(document(plan, &rendered), at_the_end) << rows << " rows";
  }
}

// Written to a descriptor (standard output), the items go there by sendfile, between what the
// stream writes before and after them; a descriptor opened to append takes no sendfile, and they
// are copied through the stream instead. Either way the document is the same.
TEST(RenderedItems, SentToADescriptorTheDocumentIsTheSame) {
  const auto plan = plan_of(5000);
  const auto rendered = RenderedItems::render(plan);
  ASSERT_TRUE(rendered) << "no temporary file could be written";
  const auto expected = document(plan, nullptr);
  const auto path = std::filesystem::temp_directory_path()
                    / ("crmsync-plan-json-" + std::to_string(getpid()) + ".json");
  for (const int append : {0, O_APPEND}) {
    std::filesystem::remove(path);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | append, 0600);
    ASSERT_GE(fd, 0);
    {
      __gnu_cxx::stdio_filebuf<char> buffer(fd, std::ios::out);  // closes fd
      std::ostream out(&buffer);
      CycleSummary summary;
      summary.run_id = 7;
      summary.status = "completed";
      summary.created = 3;
      write_plan_json(out, plan, summary, false, &rendered, fd);
      out.flush();
      EXPECT_TRUE(out.good()) << (append ? "appending" : "sent");
    }
    std::ifstream in(path, std::ios::binary);
    const std::string written((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(written.size(), expected.size()) << (append ? "appending" : "sent");
    EXPECT_TRUE(written == expected) << (append ? "appending" : "sent");
  }
  std::filesystem::remove(path);
}

// An item's members, in the contract's order, with every kind of value: escaped text, a row
// number, a fractional score, evidence, candidates, an old value and a null one.
TEST(RenderedItems, AnItemIsWrittenMemberByMemberAsTheContractSays) {
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
  const auto at_the_end = document(plan, nullptr);
  EXPECT_NE(at_the_end.find(R"("items":[)" + expected + "]"), std::string::npos) << at_the_end;
  decision.score = std::nan("");
  EXPECT_NE(document(plan, nullptr).find(R"("score":null)"), std::string::npos);

  // A removed row's `source` is written as an item's is.
  RemovedRow removed;
  removed.from = {"reps", "bob@acme.example", "old \"list\".csv", "", 9, {}};
  removed.crm_id = "003C";
  removed.action = RemovedRow::Action::flag;
  removed.note = "gone from the file";
  plan.removed.push_back(removed);
  EXPECT_NE(document(plan, nullptr)
                .find(R"x("removed":[{"source":{"source":"reps","rep":"bob@acme.example",)x"
                      R"x("file":"old \"list\".csv","sheet":"","row":9},"crm_id":"003C",)x"
                      R"x("policy":"flag","outcome":"planned","note":"gone from the file"}])x"),
            std::string::npos)
      << document(plan, nullptr);
}

// Nothing rendered (no temporary file could be had): the items are rendered in place.
TEST(RenderedItems, AnEmptyRenderingRendersTheItemsInPlace) {
  const auto plan = plan_of(10);
  const RenderedItems nothing;
  EXPECT_FALSE(nothing);
  EXPECT_EQ(document(plan, &nothing), document(plan, nullptr));
}

}  // namespace
}  // namespace crmsync::reconcile
