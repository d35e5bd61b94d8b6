// A file is mapped with its rep's own settings (their phone region), and it is read again, though
// its bytes did not change, when what it is read with changes: the rep's settings or the mapping.
// Without that, an admin's fix would only reach files reps happen to edit.
#include <fstream>
#include <sstream>

#include "tests/integration/e2e/e2e_fixture.hpp"

namespace e2e {
namespace {
namespace fs = std::filesystem;

const std::string kBob = "bob.smith@acme.example";
const std::string kEmail = "nigel.ashworth@london.example";
// A London number as a London rep writes it: no '+44', so only the region makes it a number.
const std::string kLondonFile =
    "First Name,Last Name,E-mail,Phone\nNigel,Ashworth," + kEmail + ",020 7946 0958\n";
const std::string kLondonE164 = "+442079460958";

class ReadWith : public EndToEnd {
 protected:
  void SetUp() override {
    EndToEnd::SetUp();
    write_settled(dir_ / "inbox" / kBob / "london.csv", kLondonFile);
  }

  std::map<std::string, std::string> nigel() {
    for (const auto& contact : export_records("Contact"))
      if (contact.at("Email") == kEmail) return contact;
    return {};
  }
};

TEST_F(ReadWith, ARepsPhoneRegionReadsTheirNumbersAndAChangeReReadsTheirFiles) {
  // Without a region for Bob, the mapping's US cannot read a London number: the field is left out.
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  ASSERT_FALSE(nigel().empty()) << "the row itself was created";
  EXPECT_EQ(nigel()["Phone"], "");

  add_to_folder_source("    reps:\n      - { rep: " + kBob + ", phone_region: gb }\n");
  const auto preview = crmsync("preview --json " + (dir_ / "inbox" / kBob / "london.csv").string());
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  EXPECT_NE(preview.out.find(kLondonE164), std::string::npos) << preview.out;

  // The file did not change; Bob's settings did, so it is read again and the number filled in.
  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nigel()["Phone"], kLondonE164);
  EXPECT_EQ(parse_summary(result.out).at("updated"), 1) << result.out;
  EXPECT_EQ(parse_summary(result.out).at("created"), 0) << result.out;

  // Read with the same settings again: nothing to write.
  const auto writes_before = write_calls();
  const auto again = crmsync("sync --once --json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(parse_summary(again.out).at("updated"), 0) << again.out;
  EXPECT_EQ(write_calls(), writes_before);
}

TEST_F(ReadWith, OtherRepsKeepTheMappingsRegion) {
  add_to_folder_source(
      "    reps:\n      - { rep: alice.johnson@acme.example, phone_region: GB }\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  EXPECT_EQ(nigel()["Phone"], "") << "Bob's numbers are still read as US numbers";
}

TEST_F(ReadWith, AnEditedMappingReReadsFilesThatDidNotChange) {
  // A copy of the shipped mappings the admin can edit; Bob's file names its column "Direct Dial",
  // which no mapping reads yet.
  const auto mappings = editable_mappings();
  write_settled(
      dir_ / "inbox" / kBob / "london.csv",
      "First Name,Last Name,E-mail,Direct Dial\nNigel,Ashworth," + kEmail + ",+44 20 7946 0958\n");
  ASSERT_EQ(crmsync("sync --once").exit_code, 0);
  EXPECT_EQ(nigel()["Phone"], "");

  auto mapping = read_text(mappings / "rep-contacts.yaml");
  const std::string from = "from: [Phone, ";
  const auto phone = mapping.find(from);
  ASSERT_NE(phone, std::string::npos);
  mapping.insert(phone + from.size(), "\"Direct Dial\", ");
  std::ofstream(mappings / "rep-contacts.yaml") << mapping;

  const auto result = crmsync("sync --once --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(nigel()["Phone"], kLondonE164);
}

}  // namespace
}  // namespace e2e
