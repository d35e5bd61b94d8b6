// Result rows matched to a Bulk job's operations: in upload order without an index, out of order
// through one, identical rows in turn, each operation once, strangers to none.
#include "connectors/salesforce/bulk_result_matcher.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

using Rows = std::vector<std::vector<std::string>>;

BulkResultMatcher matcher_of(const Rows& rows, CrmOperation::Kind kind, std::size_t id_column = 0) {
  return BulkResultMatcher(rows.size(), kind, id_column,
                           [&rows](std::size_t i, std::vector<std::string_view>& out) {
                             out.assign(rows[i].begin(), rows[i].end());
                           });
}

std::optional<std::size_t> take(BulkResultMatcher& matcher, const std::vector<std::string>& row) {
  const std::vector<std::string_view> echoed(row.begin(), row.end());
  return matcher.take(echoed);
}

const Rows kInserts = {
    {"Ann", "ann@x.example"}, {"Bo", "bo@x.example"}, {"Ann", "ann@x.example"}, {"Cy", ""}};

TEST(BulkResultMatcher, RowsInUploadOrderTakeTheirOperations) {
  auto matcher = matcher_of(kInserts, CrmOperation::Kind::create);
  for (std::size_t i = 0; i < kInserts.size(); ++i)
    EXPECT_EQ(take(matcher, kInserts[i]), i);
  EXPECT_EQ(take(matcher, kInserts[0]), std::nullopt) << "each operation is answered once";
}

TEST(BulkResultMatcher, RowsOutOfOrderAreFoundByTheirValuesAndTwinsInTurn) {
  auto matcher = matcher_of(kInserts, CrmOperation::Kind::create);
  EXPECT_EQ(take(matcher, kInserts[0]), 0u);  // in order so far
  EXPECT_EQ(take(matcher, kInserts[3]), 3u);  // out of order: the index from here on
  EXPECT_EQ(take(matcher, kInserts[2]), 2u);  // Ann's twin: the one not answered yet
  EXPECT_EQ(take(matcher, {"Zed", "zed@x.example"}), std::nullopt);
  EXPECT_EQ(take(matcher, kInserts[1]), 1u);
  EXPECT_EQ(take(matcher, kInserts[0]), std::nullopt);
}

TEST(BulkResultMatcher, AStrangerFirstStillLeavesEveryOperationToItsRow) {
  auto matcher = matcher_of(kInserts, CrmOperation::Kind::create);
  EXPECT_EQ(take(matcher, {"Zed", "zed@x.example"}), std::nullopt);
  for (std::size_t i = kInserts.size(); i-- > 0;)
    EXPECT_EQ(take(matcher, kInserts[i]), i == 2 ? 0u : i == 0 ? 2u : i) << i;
}

TEST(BulkResultMatcher, UpdatesMatchByIdAndUpsertsByTheirExternalId) {
  const Rows updates = {{"003A", "x"}, {"003B", "y"}};
  auto by_id = matcher_of(updates, CrmOperation::Kind::update);
  // The values echoed may differ from those sent (the CRM's formatting): the Id decides.
  EXPECT_EQ(take(by_id, {"003B", "Y"}), 1u);
  EXPECT_EQ(take(by_id, {"003A", "X"}), 0u);

  const Rows upserts = {{"Ann", "K-1"}, {"Bo", "K-2"}};
  auto by_key = matcher_of(upserts, CrmOperation::Kind::upsert, 1);
  EXPECT_EQ(take(by_key, {"Bo (renamed)", "K-2"}), 1u);
  EXPECT_EQ(take(by_key, {"Ann", "K-1"}), 0u);
  EXPECT_EQ(take(by_key, {"Ann", "K-1"}), std::nullopt);
}

}  // namespace
}  // namespace crmsync::salesforce
