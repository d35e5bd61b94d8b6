// The review queue end to end: a row that fits two CRM contacts equally is never guessed; it waits
// in `crmsync review list`, a person accepts one candidate, and the next cycle updates exactly that
// record. A rejected review makes the row a new record and is not asked again.
#include <fmt/format.h>

#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {
namespace fs = std::filesystem;

class Review : public EndToEnd {
 protected:
  // Two Dana Scullys at one account, and a rep's row that names Dana Scully there, no email.
  void SetUp() override {
    EndToEnd::SetUp();
    const auto api = signed_in_api();
    for (const char* email : {"dana.scully@fbi.example", "d.scully@fbi.example"}) {
      const auto created = api->api("POST", std::string(sandbox_test::kData) + "/sobjects/Contact",
                                    fmt::format(R"({{"FirstName":"Dana","LastName":"Scully",)"
                                                R"("Email":"{}"}})",
                                                email));
      ASSERT_EQ(created.status, 201) << created.body;
      twins_.push_back(created.json("/id"));
    }
    write_settled(file(), "First Name,Last Name,Position\nDana,Scully,Agent\n");
  }
  fs::path file() const { return dir_ / "inbox" / "grace.lee@acme.example" / "x-files.csv"; }
  std::string title_of(const std::string& id) {
    for (const auto& contact : export_records("Contact"))
      if (contact.at("Id") == id) return contact.at("Title");
    return "(missing)";
  }
  std::vector<std::string> twins_;
};

const Item* item_for(const std::vector<Item>& items, const std::string& file) {
  for (const auto& item : items)
    if (item.file == file) return &item;
  return nullptr;
}

// A review of a row the rep deleted, or of a file the rep deleted, can no longer be decided: it
// leaves the queue at the next cycle.
TEST_F(Review, AReviewLeavesTheQueueWhenItsRowIsDeleted) {
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  ASSERT_NE(crmsync("review list --json").out, "[]\n");
  write_settled(file(), "First Name,Last Name,Position\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  EXPECT_EQ(crmsync("review list --json").out, "[]\n");
}

TEST_F(Review, AReviewLeavesTheQueueWhenItsFileIsDeleted) {
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  ASSERT_NE(crmsync("review list --json").out, "[]\n");
  fs::remove(file());
  const auto result = crmsync("sync --once");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(crmsync("review list --json").out, "[]\n");
  EXPECT_NE(result.err.find("1 open review(s) withdrawn"), std::string::npos) << result.err;
}

TEST_F(Review, AnAcceptedCandidateIsUpdatedNextCycle) {
  auto first = crmsync("sync --once --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto items = parse_items(first.out);
  const auto* row = item_for(items, "x-files.csv");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->action, "review") << row->reason;

  const auto list = crmsync("review list --json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(twins_[0]), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(twins_[1]), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("x-files.csv"), std::string::npos) << list.out;
  const auto id = list.out.substr(list.out.find("\"id\":") + 5, 1);

  EXPECT_EQ(crmsync("review accept " + id).exit_code, 65) << "two candidates: --crm-id needed";
  const auto accepted = crmsync("review accept " + id + " --crm-id " + twins_[1]);
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(crmsync("review accept " + id + " --crm-id " + twins_[1]).exit_code, 65)
      << "a decided review is not decided twice";

  const auto second = crmsync("sync --once --json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto second_items = parse_items(second.out);
  const auto* now = item_for(second_items, "x-files.csv");
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->action, "update");
  EXPECT_EQ(now->crm_id, twins_[1]);
  EXPECT_EQ(title_of(twins_[1]), "Agent");
  EXPECT_EQ(title_of(twins_[0]), "");
  EXPECT_EQ(crmsync("review list --json").out, "[]\n");
}

TEST_F(Review, ARejectedReviewBecomesANewRecordAndIsNotAskedAgain) {
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  const auto list = crmsync("review list --json");
  const auto id = list.out.substr(list.out.find("\"id\":") + 5, 1);
  ASSERT_EQ(crmsync("review reject " + id).exit_code, 0);
  const auto before = export_records("Contact").size();
  const auto second = crmsync("sync --once --json");
  const auto second_items = parse_items(second.out);
  const auto* now = item_for(second_items, "x-files.csv");
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(now->action, "create");
  EXPECT_EQ(export_records("Contact").size(), before + 1);
  EXPECT_EQ(crmsync("review list --json").out, "[]\n");
  const auto third = crmsync("sync --once --json");
  EXPECT_EQ(parse_summary(third.out).at("created"), 0);
  EXPECT_EQ(parse_summary(third.out).at("review"), 0);
}

}  // namespace
}  // namespace e2e
