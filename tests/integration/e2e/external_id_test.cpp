// A mapping with `external_id:`: new records are upserted on that field, so a create sent twice
// makes one record, and a record the CRM already holds under the value is the row's record,
// updated under the conflict policies, instead of a second record refused as a duplicate value.
#include <fmt/format.h>

#include <fstream>

#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {
namespace fs = std::filesystem;

const std::string kBob = "bob.smith@acme.example";
const std::string kKeyField = "Crmsync_Key__c";

class ExternalId : public EndToEnd {
 protected:
  void SetUp() override {
    EndToEnd::SetUp();
    const auto mappings = editable_mappings();
    auto mapping = read_text(mappings / "rep-contacts.yaml");
    const std::string key = "key: [Email, LastName, FirstName]\n";
    ASSERT_NE(mapping.find(key), std::string::npos);
    mapping.insert(mapping.find(key) + key.size(), external_id_line());
    const std::string fields = "\nfields:\n";
    ASSERT_NE(mapping.find(fields), std::string::npos);
    mapping.insert(mapping.find(fields) + fields.size(),
                   "  " + kKeyField + ": { from: [\"Contact Key\"] }\n");
    std::ofstream(mappings / "rep-contacts.yaml") << mapping;
  }
  virtual std::string external_id_line() { return "external_id: " + kKeyField + "\n"; }
  // Contact gets an External ID field, as an admin would add one.
  std::vector<std::string> sandbox_args() override {
    const auto schema = dir_ / "schema.yaml";
    std::ofstream(schema) << "objects:\n  - name: Contact\n    fields:\n      - { name: "
                          << kKeyField
                          << ", type: string, length: 20, externalId: true, unique: true }\n";
    return {"--schema", schema.string()};
  }
  void write_bob(const std::string& rows) {
    write_settled(dir_ / "inbox" / kBob / "keyed.csv",
                  "First Name,Last Name,E-mail,Contact Key\n" + rows);
  }
  std::vector<std::map<std::string, std::string>> keyed() {
    std::vector<std::map<std::string, std::string>> out;
    for (const auto& contact : export_records("Contact"))
      if (!contact.at(kKeyField).empty()) out.push_back(contact);
    return out;
  }
};

TEST_F(ExternalId, NewRecordsCarryTheKey) {
  const auto online = crmsync("validate --online");
  EXPECT_EQ(online.exit_code, 0) << "the org's describe marks the field External ID: "
                                 << online.err;
  write_bob("Helga,Brandt,helga.brandt@ext.example,K-1\nIvo,Petrov,ivo.petrov@ext.example,K-2\n");
  const auto first = crmsync("sync --once --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto records = keyed();
  ASSERT_EQ(records.size(), 2u) << first.out;
  for (const auto& record : records)
    EXPECT_EQ(record.at(kKeyField), record.at("LastName") == "Brandt" ? "K-1" : "K-2");

  const auto writes = write_calls();
  const auto again = crmsync("sync --once --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(write_calls(), writes) << "nothing changed";
  EXPECT_EQ(keyed().size(), 2u);
}

TEST_F(ExternalId, ARecordAlreadyHoldingTheKeyIsUpdatedUnderThePolicies) {
  // Created by another system under K-9, with nothing crmsync's matcher could recognise.
  const auto api = signed_in_api();
  const auto created =
      api->api("POST", std::string(sandbox_test::kData) + "/sobjects/Contact",
               fmt::format(R"({{"LastName":"Placeholder","{}":"K-9"}})", kKeyField));
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.json("/id");
  write_bob("Nadia,Haddad,nadia.haddad@ext.example,K-9\n");
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = keyed();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("Id"), id);
  EXPECT_EQ(records[0].at("Email"), "nadia.haddad@ext.example");
  EXPECT_EQ(records[0].at("FirstName"), "Nadia");
  EXPECT_EQ(records[0].at("LastName"), "Placeholder") << "fill_empty keeps what the CRM has";
  int nadias = 0;
  for (const auto& contact : export_records("Contact"))
    nadias += contact.at("Email") == "nadia.haddad@ext.example" ? 1 : 0;
  EXPECT_EQ(nadias, 1) << "no second record";
  bool listed = false;
  for (const auto& item : parse_items(result.out))
    if (item.file == "keyed.csv") {
      listed = true;
      EXPECT_EQ(item.action, "update");
      EXPECT_EQ(item.crm_id, id);
      EXPECT_EQ(item.match_kind, "external_id");
    }
  EXPECT_TRUE(listed) << result.out;
}

class ExternalIdMisnamed : public ExternalId {
 protected:
  std::string external_id_line() override { return "external_id: Crmsync_Kye__c\n"; }
};

TEST_F(ExternalIdMisnamed, IsAMappingError) {
  const auto result = crmsync("validate");
  EXPECT_EQ(result.exit_code, 78);
  EXPECT_NE(result.err.find("external_id field 'Crmsync_Kye__c' is not a field of Contact"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace e2e
