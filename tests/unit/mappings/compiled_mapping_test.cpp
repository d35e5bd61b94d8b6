// Rows through compiled mappings: column resolution, fallbacks, rejections, related objects,
// lookups, templates and filters, on hand-built Records with values from shared/data.
#include "mappings/compiled_mapping.hpp"

#include <gtest/gtest.h>

#include "mappings/mapping_loader.hpp"

namespace crmsync::mappings {
namespace {

Mapping load(const std::string& text) {
  Diagnostics diags;
  auto mapping = load_mapping_text("test.yaml", text, diags);
  if (!mapping) throw std::runtime_error(diags.render());
  return *mapping;
}

Mapping preset(const std::string& name) {
  Diagnostics diags;
  auto mapping = load_mapping(
      std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/mappings" / (name + ".yaml"), diags);
  if (!mapping) throw std::runtime_error(diags.render());
  return *mapping;
}

struct Table {
  std::shared_ptr<Header> header = std::make_shared<Header>();
  Record row(std::uint32_t number, const std::vector<std::string>& cells) const {
    Record record;
    record.from = {.source = "reps",
                   .owner = "bob.smith@acme.example",
                   .item = "leads.csv",
                   .sheet = {},
                   .row = number,
                   .modified = {}};
    record.header = header;
    for (const auto& text : cells)
      record.cells.push_back({text.empty() ? CellKind::empty : CellKind::text, text, 0});
    return record;
  }
};

Table table(std::vector<std::string> columns) {
  Table t;
  t.header->columns = std::move(columns);
  t.header->row = 1;
  return t;
}

std::string value(const MappedRow& row, const std::string& object, const std::string& field) {
  for (const auto& record : row.records) {
    if (record.object != object) continue;
    if (const auto* found = record.field(field)) return found->value;
    for (const auto& key : record.match_keys)
      if (key.name == field) return key.value;
  }
  return "(absent)";
}

TEST(CompiledMapping, RepContactsOnAEuropeanCsvRow) {
  const auto mapping = preset("rep-contacts");
  auto t = table(
      {"First Name", "Last Name", "E-mail", "Telephone", "Cell", "Company", "Position", "Notes"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(13, {"LARS", "Petrov", "Lars.petrov@johnsonrice.example.com", "(963) 677-3698",
                          "+1 856 725 5898", "Johnson Rice Inc.", "Project Engineer", "Hot lead"}),
               row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped);
  ASSERT_EQ(row.records.size(), 2U);
  EXPECT_EQ(row.records[0].object, "Account");
  EXPECT_EQ(value(row, "Account", "Name"), "Johnson Rice Inc.");
  EXPECT_EQ(value(row, "Account", "NameKey"), "johnson rice");
  EXPECT_EQ(value(row, "Contact", "FirstName"), "Lars");
  EXPECT_EQ(value(row, "Contact", "LastName"), "Petrov");
  EXPECT_EQ(value(row, "Contact", "Email"), "lars.petrov@johnsonrice.example.com");
  EXPECT_EQ(value(row, "Contact", "Phone"), "+19636773698");
  EXPECT_EQ(value(row, "Contact", "MobilePhone"), "+18567255898");
  EXPECT_EQ(value(row, "Contact", "Title"), "Project Engineer");
  const auto& contact = *row.primary();
  EXPECT_EQ(contact.key,
            (std::vector<std::string>{"lars.petrov@johnsonrice.example.com", "Petrov", "Lars"}));
  ASSERT_EQ(contact.references.size(), 2U);
  EXPECT_EQ(contact.references[0].field, "AccountId");
  EXPECT_EQ(contact.references[0].value, "Johnson Rice Inc.");
  EXPECT_TRUE(contact.references[0].create);
  EXPECT_EQ(contact.references[1].field, "OwnerId");
  EXPECT_EQ(contact.references[1].object, "User");
  EXPECT_EQ(contact.references[1].value, "bob.smith@acme.example");
  EXPECT_EQ(contact.references[1].policy, ConflictPolicy::never);
  EXPECT_EQ(row.from.row, 13U);
}

TEST(CompiledMapping, ColumnsAreMatchedIgnoringCaseSpacesAndPunctuation) {
  const auto mapping = preset("rep-contacts");
  auto t = table({"CONTACT", "Organisation", "Email  Address", "Direct Line", "Mobile #", "Role"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(2, {"José Martin", "Jones Holdings", "josm@jonesholdings.example.com",
                         "648-963-8622", "", "Plant Manager"}),
               row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped);
  EXPECT_EQ(value(row, "Contact", "FirstName"), "José");
  EXPECT_EQ(value(row, "Contact", "LastName"), "Martin");
  EXPECT_EQ(value(row, "Contact", "Phone"), "+16489638622");
  EXPECT_EQ(value(row, "Contact", "MobilePhone"), "(absent)");
  EXPECT_EQ(compiled.columns()[0].fields, (std::vector<std::string>{"FirstName", "LastName"}));
  EXPECT_EQ(compiled.columns()[1].fields,
            (std::vector<std::string>{"Account.Name", "Account.NameKey", "AccountId"}));
}

TEST(CompiledMapping, FallbackSplitsAFullNameColumn) {
  const auto mapping = preset("rep-contacts");
  auto t = table({"Name", "Company", "Email", "Phone"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(4, {"Robinson, Nick", "Thompson", "nicholas.robinson@thompson.example.com",
                         "4034907614"}),
               row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped);
  EXPECT_EQ(value(row, "Contact", "FirstName"), "Nick");
  EXPECT_EQ(value(row, "Contact", "LastName"), "Robinson");
  EXPECT_EQ(value(row, "Contact", "Phone"), "+14034907614");
}

TEST(CompiledMapping, ARowWithoutIdentityIsRejectedWithItsReason) {
  const auto mapping = preset("rep-contacts");
  auto t = table(
      {"First Name", "Last Name", "E-mail", "Telephone", "Cell", "Company", "Position", "Notes"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(28, {"", "", "", "", "", "TBD", "", "call back"}), row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::rejected);
  EXPECT_TRUE(row.records.empty());
  EXPECT_EQ(row.rejection->reason, "LastName is required but column 'Last Name' is empty");
  EXPECT_EQ(row.rejection->column, 2U);
  EXPECT_EQ(row.rejection->field, "LastName");
}

TEST(CompiledMapping, AnInvalidEmailRejectsTheRowAndABadPhoneOnlyItsField) {
  const auto mapping = preset("rep-contacts");
  auto t = table({"First Name", "Last Name", "E-mail", "Telephone"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(5, {"Ann", "Lee", "ann.lee(at)acme.com", "555"}), row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::rejected);
  EXPECT_EQ(row.rejection->reason, "invalid email 'ann.lee(at)acme.com': has no '@'");
  EXPECT_EQ(row.rejection->column, 3U);
  EXPECT_EQ(row.rejection->column_name, "E-mail");
  EXPECT_EQ(row.rejection->value, "ann.lee(at)acme.com");

  compiled.map(t.row(6, {"Ann", "Lee", "ann@acme.com", "call me"}), row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped);
  EXPECT_EQ(value(row, "Contact", "Phone"), "(absent)");
  ASSERT_EQ(row.dropped_values.size(), 1U);
  EXPECT_EQ(row.dropped_values[0].field, "Phone");
  EXPECT_EQ(row.dropped_values[0].column, 4U);
  EXPECT_EQ(row.dropped_values[0].reason, "invalid phone 'call me': not a phone number");
  EXPECT_FALSE(row.rejection.has_value());
}

TEST(CompiledMapping, ConstTemplateDefaultAndFilters) {
  const auto mapping = load(R"(
object: Lead
fields:
  LastName: { from: Last, required: true }
  Company: { from: Firm, default: "Unknown" }
  LeadSource: { const: Spreadsheet }
  Description: { template: "{{First}} {{Last}} from {{file}} row {{row}} by {{rep}}" }
filter:
  skip_if: [ { column: Last, matches: "(?i)^total" } ]
)");
  auto t = table({"First", "Last", "Firm"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(3, {"Ann", "Lee", ""}), row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped);
  EXPECT_EQ(value(row, "Lead", "Company"), "Unknown");
  EXPECT_EQ(value(row, "Lead", "LeadSource"), "Spreadsheet");
  EXPECT_EQ(value(row, "Lead", "Description"),
            "Ann Lee from leads.csv row 3 by bob.smith@acme.example");
  compiled.map(t.row(9, {"", "TOTAL", ""}), row);
  EXPECT_EQ(row.outcome, MappedRow::Outcome::skipped);
  EXPECT_EQ(row.skip_reason, "column 'Last' matches filter /(?i)^total/");
  compiled.map(t.row(10, {"", " ", ""}), row);
  EXPECT_EQ(row.outcome, MappedRow::Outcome::skipped);
  EXPECT_EQ(row.skip_reason, "blank row");
}

TEST(CompiledMapping, AMissingRequiredColumnIsReportedAndRejectsRows) {
  const auto mapping = preset("rep-contacts");
  auto t = table({"Email", "Phone"});
  CompiledMapping compiled(mapping, *t.header);
  ASSERT_FALSE(compiled.missing().empty());
  bool last_name_missing = false;
  for (const auto& missing : compiled.missing())
    last_name_missing = last_name_missing || (missing.field == "LastName" && missing.required);
  EXPECT_TRUE(last_name_missing);
  MappedRow row;
  compiled.map(t.row(2, {"ann@acme.com", "4155550123"}), row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::rejected);
  EXPECT_EQ(
      row.rejection->reason.rfind(
          "LastName is required but the file has no column for it (looked for: 'Last Name'", 0),
      0U)
      << row.rejection->reason;
  EXPECT_NE(row.rejection->reason.find("'Surname'"), std::string::npos);
  EXPECT_NE(row.rejection->reason.find("'Full Name'"), std::string::npos);
}

TEST(CompiledMapping, RaggedRowsReadMissingCellsAsEmpty) {
  const auto mapping = preset("rep-contacts");
  auto t = table({"First Name", "Last Name", "E-mail", "Telephone"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  compiled.map(t.row(7, {"Ann", "Lee"}), row);
  ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped);
  EXPECT_EQ(value(row, "Contact", "Email"), "(absent)");
}

TEST(CompiledMapping, PhoneCacheCountsRepeatedNumbers) {
  const auto mapping = preset("rep-contacts");
  auto t = table({"Last Name", "Telephone"});
  CompiledMapping compiled(mapping, *t.header);
  MappedRow row;
  for (int i = 0; i < 4; ++i)
    compiled.map(t.row(2, {"Lee", "724-895-3738 x781"}), row);
  EXPECT_EQ(value(row, "Contact", "Phone"), "+17248953738 x781");
  EXPECT_EQ(compiled.phone_cache_stats().misses, 1U);
  EXPECT_EQ(compiled.phone_cache_stats().hits, 3U);
}

}  // namespace
}  // namespace crmsync::mappings
