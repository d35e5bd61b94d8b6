// A Bulk job's upload CSV: every field any operation sets is a column, in first-seen order (Id
// first for updates); a field an operation leaves out is an empty cell, one it clears is "#N/A";
// values are quoted when RFC 4180 needs it, and rows end with LF.
#include "connectors/salesforce/bulk_upload.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

CrmOperation insert(CrmValues values) {
  CrmOperation op;
  op.object = "Contact";
  op.values = std::move(values);
  return op;
}

TEST(BulkUpload, ColumnsAreEveryFieldInFirstSeenOrderAndMissingCellsAreEmpty) {
  const std::vector<CrmOperation> group = {
      insert({{"LastName", "Ng"}, {"Email", "ng@acme.example"}}),
      insert({{"LastName", "O'Brien, Jr."}, {"Title", "Says \"hi\""}}),
      insert({{"LastName", " padded"}, {"Email", std::nullopt}})};
  const BulkUpload upload(group);
  EXPECT_EQ(upload.columns(), (std::vector<std::string>{"LastName", "Email", "Title"}));
  EXPECT_EQ(upload.csv(),
            "LastName,Email,Title\n"
            "Ng,ng@acme.example,\n"
            "\"O'Brien, Jr.\",,\"Says \"\"hi\"\"\"\n"
            "\" padded\",#N/A,\n");
  std::vector<std::string_view> cells;
  upload.cells(1, cells);
  EXPECT_EQ(cells, (std::vector<std::string_view>{"O'Brien, Jr.", "", "Says \"hi\""}));
}

// Operations that set the same fields share the work of placing them; one that sets them in
// another order, or sets others, is placed anew.
TEST(BulkUpload, EachRowIsPlacedByItsOwnFieldsWhateverTheRowBeforeSet) {
  const std::vector<CrmOperation> group = {
      insert({{"LastName", "Ng"}, {"Email", "ng@acme.example"}}),
      insert({{"LastName", "Oh"}, {"Email", "oh@acme.example"}}),
      insert({{"Email", "po@acme.example"}, {"LastName", "Po"}}),
      insert({{"Email", "qi@acme.example"}, {"Title", "CEO"}}), insert({{"LastName", "Ra"}})};
  EXPECT_EQ(BulkUpload(group).csv(),
            "LastName,Email,Title\n"
            "Ng,ng@acme.example,\n"
            "Oh,oh@acme.example,\n"
            "Po,po@acme.example,\n"
            ",qi@acme.example,CEO\n"
            "Ra,,\n");
}

TEST(BulkUpload, UpdatesLeadWithTheirId) {
  auto update = insert({{"Title", "Buyer"}});
  update.kind = CrmOperation::Kind::update;
  update.id = "003000000000001AAA";
  const std::vector<CrmOperation> group = {update};
  const BulkUpload upload(group);
  EXPECT_EQ(upload.csv(), "Id,Title\n003000000000001AAA,Buyer\n");
}

}  // namespace
}  // namespace crmsync::salesforce
