// The done-check: every file of shared/data/world-small/inbox, read by the folder readers and
// mapped with the shipped presets, gives for every truth.csv row that is not `reject:` a Contact
// with LastName and a correctly normalised Email or Phone, and for every `reject:` row a
// rejection with a reason. Skipped when shared/data is absent.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "connectors/folder/readers/read_file.hpp"
#include "connectors/folder/readers/record_sink.hpp"
#include "mappings/compiled_mapping.hpp"
#include "mappings/mapping_loader.hpp"
#include "mappings/preview.hpp"
#include "mappings/transforms/simple_case.hpp"

namespace crmsync::mappings {
namespace {

const std::filesystem::path kWorld = std::filesystem::path(CRMSYNC_SHARED_DATA_DIR) / "world-small";

struct TruthRow {
  std::string rep, file, sheet;
  std::uint32_t row = 0;
  std::string expect;
};

std::vector<TruthRow> read_truth() {
  std::ifstream in(kWorld / "truth.csv");
  std::vector<TruthRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, ','))
      cells.push_back(cell);
    if (cells.size() != 5) continue;
    rows.push_back(
        {cells[0], cells[1], cells[2], static_cast<std::uint32_t>(std::stoul(cells[3])), cells[4]});
  }
  return rows;
}

// Mirrors the `files:` globs a crmsync.yaml gives the folder source.
std::string mapping_for(const std::string& file) {
  if (file.ends_with(".vcf")) return "vcard";
  if (file.starts_with("outlook")) return "outlook-csv";
  return "rep-contacts";
}

class Collect final : public folder::RecordSink {
 public:
  void on_table(const folder::TableInfo&, std::shared_ptr<const Header>) override {}
  void on_record(Record&& record) override { records.push_back(std::move(record)); }
  void on_row_error(RowError&& error) override { errors.push_back(std::move(error)); }
  std::vector<Record> records;
  std::vector<RowError> errors;
};

bool is_e164(const std::string& phone) {
  if (phone.size() < 8 || phone[0] != '+') return false;
  const auto end = phone.find(' ');
  for (std::size_t i = 1; i < std::min(end, phone.size()); ++i)
    if (phone[i] < '0' || phone[i] > '9') return false;
  return true;
}

bool is_normalised_email(const std::string& email) {
  return email.find('@') != std::string::npos && email == to_lower_unicode(email)
         && email.find(' ') == std::string::npos;
}

TEST(InboxTruth, PresetsMapEveryTruthRow) {
  if (!std::filesystem::exists(kWorld / "truth.csv")) GTEST_SKIP() << "no " << kWorld;
  Diagnostics diags;
  std::map<std::string, Mapping> presets;
  for (auto& mapping :
       validate_mapping_dir(std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/mappings", diags))
    presets.emplace(mapping.name, std::move(mapping));
  ASSERT_FALSE(diags.has_errors()) << diags.render();

  // rep/file -> row outcomes by (sheet, row)
  std::map<std::string, std::map<std::pair<std::string, std::uint32_t>, MappedRow>> outcomes;
  std::size_t non_ascii_names = 0;
  for (const auto& rep_dir : std::filesystem::directory_iterator(kWorld / "inbox")) {
    for (const auto& file : std::filesystem::directory_iterator(rep_dir.path())) {
      const auto name = file.path().filename().string();
      const Mapping& mapping = presets.at(mapping_for(name));
      folder::ReadOptions options;
      options.source = "reps";
      options.owner = rep_dir.path().filename().string();
      options.header_hint = header_hint(mapping);
      Collect sink;
      folder::read_file(file.path(), options, sink);
      EXPECT_TRUE(sink.errors.empty()) << name;
      const auto preview = build_preview(mapping, sink.records);
      for (const auto& table : preview.tables) {
        for (const auto& row : table.rows) {
          if (const auto* contact = row.primary(); contact && contact->field("LastName"))
            non_ascii_names += is_ascii(contact->field("LastName")->value) ? 0 : 1;
          outcomes[options.owner + "/" + name][{row.from.sheet, row.from.row}] = row;
        }
      }
    }
  }
  EXPECT_GT(non_ascii_names, 5U) << "accented names must keep their accents";

  std::size_t checked = 0;
  for (const auto& truth : read_truth()) {
    SCOPED_TRACE(truth.rep + "/" + truth.file + " sheet '" + truth.sheet + "' row "
                 + std::to_string(truth.row) + " expect " + truth.expect);
    const auto& rows = outcomes[truth.rep + "/" + truth.file];
    const auto found = rows.find({truth.sheet, truth.row});
    ASSERT_NE(found, rows.end()) << "no outcome for this row";
    const MappedRow& row = found->second;
    ++checked;
    if (truth.expect.starts_with("reject:")) {
      ASSERT_EQ(row.outcome, MappedRow::Outcome::rejected);
      EXPECT_FALSE(row.rejection->reason.empty());
      continue;
    }
    ASSERT_EQ(row.outcome, MappedRow::Outcome::mapped)
        << (row.rejection ? row.rejection->reason : row.skip_reason);
    const CrmRecord* contact = row.primary();
    ASSERT_NE(contact, nullptr);
    EXPECT_EQ(contact->object, "Contact");
    ASSERT_NE(contact->field("LastName"), nullptr);
    EXPECT_FALSE(contact->field("LastName")->value.empty());
    const auto* email = contact->field("Email");
    const auto* phone = contact->field("Phone");
    const auto* mobile = contact->field("MobilePhone");
    EXPECT_TRUE(email || phone || mobile) << "no Email and no Phone";
    EXPECT_TRUE(!email || is_normalised_email(email->value)) << email->value;
    EXPECT_TRUE(!phone || is_e164(phone->value)) << phone->value;
    EXPECT_TRUE(!mobile || is_e164(mobile->value)) << mobile->value;
  }
  EXPECT_EQ(checked, 304U);
}

}  // namespace
}  // namespace crmsync::mappings
