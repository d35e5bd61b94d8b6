// A file of many rows (many batches of the reader's pipeline, and more than the 4,096 from which
// their keys and hashes are made in two halves): its rows come out in file order, each once,
// rejected rows and an unreadable one in their places, and the summary counts them all.
#include <fmt/format.h>

#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {

const std::string kBob = "bob.smith@acme.example";
constexpr int kRows = 10000;

class LargeFile : public EndToEnd {};

// Row n (from 2): every seventh has no last name (rejected), row 6001 has a NUL byte (not read).
std::string contacts() {
  std::string csv = "First Name,Last Name,E-mail\n";
  for (int n = 2; n < kRows + 2; ++n) {
    if (n == 6001)
      csv += std::string("Nul,Byte\0Row,nul@large.example\n", 31);
    else if (n % 7 == 0)
      csv += fmt::format("Person{},,person{}@large.example\n", n, n);
    else
      csv += fmt::format("Person{},Large{},person{}@large.example\n", n, n, n);
  }
  return csv;
}

TEST_F(LargeFile, RowsMappedInBatchesKeepTheirFileOrderAndCounts) {
  write_settled(dir_ / "inbox" / kBob / "large.csv", contacts());
  const auto result = crmsync("plan --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<Item> rows;
  std::map<std::string, std::int64_t> actions;  // of every file's rows, the demo's too
  for (const auto& item : parse_items(result.out)) {
    ++actions[item.action];
    if (item.file == "large.csv") rows.push_back(item);
  }
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(kRows));
  int rejected = 0;
  for (int i = 0; i < kRows; ++i) {
    const auto& item = rows[static_cast<std::size_t>(i)];
    const int n = i + 2;
    ASSERT_EQ(item.row, n) << "out of file order at item " << i;
    if (n == 6001) {
      EXPECT_EQ(item.action, "reject");
      EXPECT_NE(item.reason.find("NUL"), std::string::npos) << item.reason;
    } else if (n % 7 == 0) {
      EXPECT_EQ(item.action, "reject") << "row " << n;
    } else {
      EXPECT_EQ(item.action, "create") << "row " << n << ": " << item.reason;
    }
    rejected += item.action == "reject";
  }
  EXPECT_EQ(rejected, kRows / 7 + 1);
  const auto summary = parse_summary(result.out);
  EXPECT_EQ(summary.at("rejected"), actions["reject"]);
  EXPECT_EQ(summary.at("created"), actions["create"]);
}

}  // namespace
}  // namespace e2e
