// A row a rep pasted three times into one file: the copies share a key, yet each keeps an
// identity of its own (key, key#2, key#3), all become the one new contact, and later syncs of the
// file write nothing and still show every copy.
#include <fmt/format.h>

#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {

const std::string kBob = "bob.smith@acme.example";
const std::string kRow = "Odile,Marchetti,odile.marchetti@repeated.example,Marchetti Srl\n";

class RepeatedRows : public EndToEnd {};

TEST_F(RepeatedRows, CopiesOfARowAreOneContactAndStaySettled) {
  write_settled(dir_ / "inbox" / kBob / "pasted.csv",
                "First Name,Last Name,E-mail,Company\n" + kRow + kRow + kRow);
  const auto first = crmsync("sync --once --json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::vector<Item> copies;
  for (const auto& item : parse_items(first.out))
    if (item.file == "pasted.csv") copies.push_back(item);
  ASSERT_EQ(copies.size(), 3u);
  for (const auto& copy : copies) {
    EXPECT_EQ(copy.action, "create") << "row " << copy.row;
    EXPECT_EQ(copy.crm_id, copies[0].crm_id) << "row " << copy.row;
  }
  EXPECT_FALSE(copies[0].crm_id.empty());
  int odile = 0;
  for (const auto& contact : export_records("Contact"))
    odile += contact.at("Email") == "odile.marchetti@repeated.example";
  EXPECT_EQ(odile, 1);

  // Touched, so the file is read again: every copy finds its own stored row and link.
  const auto writes = write_calls();
  write_settled(dir_ / "inbox" / kBob / "pasted.csv",
                "First Name,Last Name,E-mail,Company\n" + kRow + kRow + kRow + "\n");
  const auto second = crmsync("sync --once --json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(write_calls(), writes);
  for (const auto& item : parse_items(second.out))
    if (item.file == "pasted.csv") {
      EXPECT_EQ(item.action, "unchanged") << "row " << item.row << ": " << item.reason;
      EXPECT_EQ(item.crm_id, copies[0].crm_id) << "row " << item.row;
    }

  // Not touched: the file's rows replay from the state store, each copy as itself.
  const auto third = crmsync("sync --once --json");
  ASSERT_EQ(third.exit_code, 0) << third.err;
  std::vector<int> replayed;
  for (const auto& item : parse_items(third.out))
    if (item.file == "pasted.csv") replayed.push_back(item.row);
  EXPECT_EQ(replayed, (std::vector<int>{2, 3, 4}));
}

}  // namespace
}  // namespace e2e
