// An admin adds a field to a mapping after crmsync has indexed the CRM: the CRM's values of that
// field must be known before a row is diffed against them. Records unchanged since the index's
// watermark are not queried again, so without a reload the new field read as empty and
// fill_empty wrote over what the CRM had. The reload also forgets records gone from the CRM.
#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "daemon/state/sqlite_statement.hpp"
#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {

const std::string kBob = "bob.smith@acme.example";
const std::string kEmail = "dana.scully@fbi.example";
// A field of the org no shipped mapping reads, which the admin then maps.
const std::string kField = "Territory__c";

class MappingChange : public EndToEnd {
 protected:
  std::vector<std::string> sandbox_args() override {
    const auto schema = dir_ / "schema.yaml";
    std::ofstream(schema) << "objects:\n  - name: Contact\n    fields:\n      - { name: " << kField
                          << ", type: string, length: 40 }\n";
    return {"--schema", schema.string()};
  }
  std::map<std::string, std::string> dana() {
    for (const auto& contact : export_records("Contact"))
      if (contact.at("Email") == kEmail) return contact;
    return {};
  }
};

TEST_F(MappingChange, AFieldAddedToAMappingIsReadFromTheCrmBeforeItIsFilled) {
  const auto api = signed_in_api();
  const auto created =
      api->api("POST", std::string(sandbox_test::kData) + "/sobjects/Contact",
               fmt::format(R"({{"FirstName":"Dana","LastName":"Scully","Email":"{}","{}":"East"}})",
                           kEmail, kField));
  ASSERT_EQ(created.status, 201) << created.body;
  // A record changed after Dana's: the index's watermark passes her, so no later incremental
  // refresh brings her back (the watermark is inclusive, to the millisecond).
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto later = api->api("POST", std::string(sandbox_test::kData) + "/sobjects/Contact",
                              R"({"LastName":"Later"})");
  ASSERT_EQ(later.status, 201) << later.body;
  write_settled(dir_ / "inbox" / kBob / "fbi.csv",
                "First Name,Last Name,E-mail,Territory\nDana,Scully," + kEmail + ",West\n");
  // Matched by email, with nothing to write: the record stays as the index last read it.
  const auto first = crmsync("sync --once --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (const auto& item : parse_items(first.out)) {
    if (item.file == "fbi.csv") {
      ASSERT_EQ(item.action, "unchanged") << first.out;
    }
  }

  const auto mappings = editable_mappings();
  auto mapping = read_text(mappings / "rep-contacts.yaml");
  const std::string fields = "\nfields:\n";
  ASSERT_NE(mapping.find(fields), std::string::npos);
  mapping.insert(mapping.find(fields) + fields.size(), "  " + kField + ": { from: [Territory] }\n");
  std::ofstream(mappings / "rep-contacts.yaml") << mapping;

  // Gone from the CRM before the reload, which lists only live records.
  const auto later_id = later.json("/id");
  ASSERT_EQ(
      api->api("DELETE", std::string(sandbox_test::kData) + "/sobjects/Contact/" + later_id).status,
      204);

  const auto second = crmsync("sync --once --json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("index: Contact is loaded afresh"), std::string::npos) << second.err;
  EXPECT_EQ(dana().at(kField), "East") << "fill_empty keeps what the CRM has";
  bool listed = false;
  for (const auto& item : parse_items(second.out))
    if (item.file == "fbi.csv") {
      listed = true;
      EXPECT_EQ(item.action, "unchanged") << item.reason;
    }
  EXPECT_TRUE(listed) << second.out;

  crmsync::state::Connection state((dir_ / "state" / "crmsync.db").string(), false);
  auto deleted = state.prepare("SELECT is_deleted FROM crm_index WHERE crm_id = ?");
  deleted.bind(1, later_id);
  ASSERT_TRUE(deleted.step());
  EXPECT_EQ(deleted.integer(0), 1) << "a record the reload did not list is gone";

  const auto third = crmsync("sync --once");
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(third.err.find("loaded afresh"), std::string::npos) << "once, not every cycle";
}

}  // namespace
}  // namespace e2e
