// The preview library behind `crmsync preview FILE [--json]`, on Records built by hand.
#include "mappings/preview.hpp"

#include <gtest/gtest.h>

#include "mappings/mapping_loader.hpp"

namespace crmsync::mappings {
namespace {

Mapping small_mapping() {
  Diagnostics diags;
  auto mapping = load_mapping_text("contacts.yaml", R"(object: Contact
fields:
  LastName: { from: [Surname, "Last Name"], required: true }
  Email: { from: Email, transform: [email] }
  Phone: { from: Phone, transform: [phone] }
  Title: { from: Title }
  AccountId: { lookup: { object: Account, by: Name, from: Company, create: true } }
filter:
  skip_if: [ { column: Surname, matches: "(?i)^total$" } ]
)",
                                   diags);
  if (!mapping) throw std::runtime_error(diags.render());
  return *mapping;
}

std::vector<Record> rows() {
  auto header = std::make_shared<Header>();
  header->columns = {"Surname", "Email", "Phone", "Notes", "Company"};
  header->row = 3;
  auto row = [&](std::uint32_t number, std::vector<std::string> cells) {
    Record record;
    record.from = {.source = "reps",
                   .owner = "ann@acme.example",
                   .item = "leads.csv",
                   .sheet = {},
                   .row = number,
                   .modified = {}};
    record.header = header;
    for (auto& text : cells)
      record.cells.push_back({text.empty() ? CellKind::empty : CellKind::text, std::move(text), 0});
    return record;
  };
  return {row(4, {"Lee", "ANN@ACME.COM", "415 555 0123", "met at fair", "Acme \"West\""}),
          row(5, {"", "bob@acme.com", "", "", ""}),
          row(6, {"Kim", "kim@acme.com", "call me", "", ""}), row(7, {"", "", "", "", ""}),
          row(8, {"Total", "", "", "", ""})};
}

TEST(Preview, ColumnsRowsAndCounts) {
  const auto mapping = small_mapping();
  const auto preview = build_preview(mapping, rows());
  EXPECT_EQ(preview.mapping, "contacts");
  EXPECT_EQ(preview.file, "leads.csv");
  ASSERT_EQ(preview.tables.size(), 1U);
  const auto& table = preview.tables[0];
  EXPECT_EQ(table.header_row, 3U);
  EXPECT_EQ(table.mapped, 2U);
  EXPECT_EQ(table.rejected, 1U);
  EXPECT_EQ(table.skipped, 1U);
  EXPECT_EQ(table.rows.size(), 4U) << "blank rows are not listed";
  ASSERT_EQ(table.missing.size(), 1U);
  EXPECT_EQ(table.missing[0].field, "Title");
}

TEST(Preview, TextRendering) {
  const auto text = render_preview_text(build_preview(small_mapping(), rows()));
  EXPECT_EQ(text,
            "leads.csv with mapping 'contacts'\n"
            "\n"
            "header on row 3\n"
            "columns:\n"
            "    1 Surname                  -> LastName\n"
            "    2 Email                    -> Email\n"
            "    3 Phone                    -> Phone\n"
            "    4 Notes                    -> (ignored)\n"
            "    5 Company                  -> AccountId\n"
            "  no column for Title (looked for: Title)\n"
            "rows: 2 mapped, 1 rejected, 1 skipped\n"
            "  row 4: mapped\n"
            "    Contact: LastName=\"Lee\" Email=\"ann@acme.com\" Phone=\"+14155550123\" "
            "AccountId=(Account by Name \"Acme \\\"West\\\"\", create)\n"
            "  row 5: REJECTED: LastName is required but column 'Surname' is empty (column 1 "
            "'Surname', value \"\")\n"
            "  row 6: mapped\n"
            "    Contact: LastName=\"Kim\" Email=\"kim@acme.com\"\n"
            "    dropped Phone from column 3 'Phone': invalid phone 'call me': not a phone number\n"
            "  row 8: skipped: column 'Surname' matches filter /(?i)^total$/\n");
}

TEST(Preview, JsonRendering) {
  const auto json = render_preview_json(build_preview(small_mapping(), rows()));
  EXPECT_EQ(
      json.rfind(
          R"({"mapping":"contacts","file":"leads.csv","tables":[{"sheet":"","header_row":3,"columns":[{"column":1,"name":"Surname","fields":["LastName"]},)",
          0),
      0U)
      << json;
  EXPECT_NE(json.find(R"("summary":{"mapped":2,"rejected":1,"skipped":1})"), std::string::npos);
  EXPECT_NE(
      json.find(
          R"({"row":5,"outcome":"rejected","rejection":{"column":1,"column_name":"Surname","field":"LastName","value":"","reason":"LastName is required but column 'Surname' is empty"},"dropped":[]})"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"("references":[{"field":"AccountId","object":"Account","by":"Name","value":"Acme \"West\"","create":true}])"),
      std::string::npos)
      << json;
  EXPECT_NE(
      json.find(
          R"({"row":8,"outcome":"skipped","reason":"column 'Surname' matches filter /(?i)^total$/","dropped":[]})"),
      std::string::npos);
  EXPECT_EQ(json.back(), '\n');
}

TEST(Preview, ANewHeaderStartsANewTable) {
  auto records = rows();
  auto other = std::make_shared<Header>();
  other->columns = {"Last Name"};
  other->row = 1;
  Record record = records[0];
  record.header = other;
  record.from.sheet = "Sheet2";
  record.cells = {{CellKind::text, "Ng", 0}};
  records.push_back(record);
  const auto preview = build_preview(small_mapping(), records);
  ASSERT_EQ(preview.tables.size(), 2U);
  EXPECT_EQ(preview.tables[1].sheet, "Sheet2");
  EXPECT_EQ(preview.tables[1].mapped, 1U);
}

}  // namespace
}  // namespace crmsync::mappings
