// validate --online's schema check against a hand-built, connector-neutral description.
#include "mappings/schema_check.hpp"

#include <gtest/gtest.h>

#include "mappings/mapping_loader.hpp"

namespace crmsync::mappings {
namespace {

std::vector<CrmObjectDescription> salesforce_like() {
  using T = CrmFieldType;
  auto field = [](std::string name, T type, std::uint32_t length = 0) {
    CrmFieldDescription f;
    f.name = std::move(name);
    f.type = type;
    f.length = length;
    return f;
  };
  CrmObjectDescription contact{"Contact", {}};
  contact.fields = {field("FirstName", T::text, 40),
                    field("LastName", T::text, 80),
                    field("Email", T::email, 80),
                    field("Phone", T::phone, 40),
                    field("MobilePhone", T::phone, 40),
                    field("Title", T::text, 128),
                    field("Description", T::textarea, 32000),
                    field("Birthdate", T::date),
                    field("LeadSource", T::picklist),
                    field("AccountId", T::reference),
                    field("OwnerId", T::reference),
                    field("CreatedDate", T::datetime)};
  contact.fields[1].required = true;
  contact.fields[8].picklist_values = {"Web", "Phone Inquiry", "Partner Referral", "Other"};
  contact.fields[9].reference_to = {"Account"};
  contact.fields[10].reference_to = {"User"};
  contact.fields[11].createable = false;
  contact.fields[11].updateable = false;
  CrmObjectDescription account{"Account", {field("Name", T::text, 255), field("Website", T::url)}};
  account.fields[0].required = true;
  CrmObjectDescription user{"User", {field("Email", T::email, 128)}};
  return {contact, account, user};
}

Mapping load(const std::string& text) {
  Diagnostics diags;
  auto mapping = load_mapping_text("online.yaml", text, diags);
  if (!mapping) throw std::runtime_error(diags.render());
  return *mapping;
}

TEST(SchemaCheck, ThePresetFitsASalesforceLikeSchema) {
  Diagnostics diags;
  auto mapping = load_mapping(
      std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/mappings/rep-contacts.yaml", diags);
  ASSERT_TRUE(mapping) << diags.render();
  check_against_schema(*mapping, salesforce_like(), diags);
  EXPECT_FALSE(diags.has_errors()) << diags.render();
}

TEST(SchemaCheck, ReportsEveryMismatchAtTheField) {
  const auto mapping = load(R"(object: Contact
fields:
  LastName: { from: Surname }
  Emial: { from: Email, transform: [email] }
  Title: { from: Born, transform: [date] }
  LeadSource: { const: Website }
  CreatedDate: { from: Created }
  AccountId: { lookup: { object: User, by: Email, from: Owner } }
  OwnerId: { lookup: { object: User, by: Mail, value: "{{rep}}" } }
)");
  Diagnostics diags;
  diags.add_source("online.yaml", "");
  check_against_schema(mapping, salesforce_like(), diags);
  std::vector<std::string> messages;
  for (const auto& diagnostic : diags.all())
    messages.push_back(std::to_string(diagnostic.where.line) + ": " + diagnostic.message
                       + (diagnostic.help.empty() ? "" : " [" + diagnostic.help + "]"));
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "4: Contact has no field 'Emial' in the CRM [did you mean 'Email'?]",
                "6: 'Website' is not a value of the picklist Contact.LeadSource",
                "7: Contact.CreatedDate is read-only in the CRM [remove it, or set its conflict "
                "policy to 'never' to use it for matching only]",
                "8: Contact.AccountId refers to Account, not to 'User'",
                "9: lookup by 'Mail': User has no such field in the CRM [did you mean 'Email'?]",
            }));
}

TEST(SchemaCheck, TheExternalIdMustBeAnExternalIdInTheCrm) {
  const std::string text =
      "object: Contact\nexternal_id: Title\nfields:\n  LastName: { from: Surname }\n"
      "  Title: { from: Key }\n";
  auto schema = salesforce_like();
  Diagnostics diags;
  check_against_schema(load(text), schema, diags);
  ASSERT_EQ(diags.all().size(), 1U) << diags.render();
  EXPECT_EQ(diags.all()[0].where.line, 5);
  EXPECT_EQ(diags.all()[0].message,
            "Contact.Title is the mapping's external_id but not an External ID field in the CRM");

  schema[0].fields[5].upsert_key = true;  // Title, marked External ID
  Diagnostics marked;
  check_against_schema(load(text), schema, marked);
  EXPECT_FALSE(marked.has_errors()) << marked.render();
}

TEST(SchemaCheck, UnknownObjectsAndMissingRequiredFields) {
  const auto mapping = load("object: Contcat\nfields:\n  FirstName: { from: First }\n");
  Diagnostics diags;
  check_against_schema(mapping, salesforce_like(), diags);
  ASSERT_EQ(diags.all().size(), 1U);
  EXPECT_EQ(diags.all()[0].message, "the CRM has no object 'Contcat'");
  EXPECT_EQ(diags.all()[0].help, "did you mean 'Contact'?");

  const auto no_last = load("object: Contact\nfields:\n  FirstName: { from: First }\n");
  Diagnostics more;
  check_against_schema(no_last, salesforce_like(), more);
  ASSERT_EQ(more.all().size(), 1U);
  EXPECT_EQ(more.all()[0].message,
            "Contact.LastName is required by the CRM but the mapping never sets it");
}

TEST(SchemaCheck, TransformOutputMustFitTheFieldType) {
  const auto mapping = load(
      "object: Contact\nfields:\n  LastName: { from: L }\n  Birthdate: { from: B, transform: "
      "[phone] }\n");
  Diagnostics diags;
  check_against_schema(mapping, salesforce_like(), diags);
  ASSERT_EQ(diags.all().size(), 1U);
  EXPECT_EQ(diags.all()[0].message,
            "transform 'phone' gives values Contact.Birthdate cannot hold (its CRM type differs)");
}

}  // namespace
}  // namespace crmsync::mappings
