// The `phone` transform's region when the transform names none: the mapping's `phone_region`,
// a rep's region given at compile time over it, and a `region:` written on the transform over
// both. Values are as reps type them.
#include <gtest/gtest.h>

#include "mappings/compiled_mapping.hpp"
#include "mappings/mapping_loader.hpp"

namespace crmsync::mappings {
namespace {

Mapping load(const std::string& text) {
  Diagnostics diags;
  auto mapping = load_mapping_text("test.yaml", text, diags);
  if (!mapping) throw std::runtime_error(diags.render());
  return *mapping;
}

// Phone takes the default region, Fax always the one written on its transform.
const std::string kFields =
    "object: Contact\n"
    "fields:\n"
    "  LastName: { from: Name }\n"
    "  Phone: { from: Phone, transform: [phone] }\n"
    "  Fax: { from: Fax, transform: [{ phone: { region: GB } }] }\n";

// Phone and Fax of one row through `mapping`, compiled with `options`.
std::pair<std::string, std::string> phones(const Mapping& mapping, const std::string& phone,
                                           const std::string& fax, CompileOptions options = {}) {
  Header header;
  header.columns = {"Name", "Phone", "Fax"};
  auto shared = std::make_shared<Header>(header);
  CompiledMapping compiled(mapping, header, std::move(options));
  Record record;
  record.header = shared;
  for (const auto& text : {std::string("Weber"), phone, fax})
    record.cells.push_back({text.empty() ? CellKind::empty : CellKind::text, text, 0});
  MappedRow out;
  compiled.map(record, out);
  std::pair<std::string, std::string> result;
  for (const auto& crm : out.records) {
    if (const auto* field = crm.field("Phone")) result.first = field->value;
    if (const auto* field = crm.field("Fax")) result.second = field->value;
  }
  return result;
}

TEST(PhoneRegion, WithoutASettingNationalNumbersAreUs) {
  const Mapping mapping = load(kFields);
  EXPECT_EQ(mapping.phone_region, "US");
  EXPECT_EQ(phones(mapping, "(415) 555-0123", "").first, "+14155550123");
  EXPECT_EQ(phones(mapping, "4155550123.0", "").first, "+14155550123");
}

TEST(PhoneRegion, TheMappingsRegionReadsGermanNumbersAsReps) {
  const Mapping mapping = load("phone_region: de\n" + kFields);
  EXPECT_EQ(mapping.phone_region, "DE");
  for (const std::string typed :
       {"030 1234567", "(030) 123 45 67", " 030/1234567 ", "0049 30 1234567", "+49 30 1234567"})
    EXPECT_EQ(phones(mapping, typed, "").first, "+49301234567") << typed;
  EXPECT_EQ(phones(mapping, "0151 23456789", "").first, "+4915123456789");
  // A number written with its country code is that country's, whatever the region.
  EXPECT_EQ(phones(mapping, "+1 415-555-0123 ext. 786", "").first, "+14155550123 x786");
  // A region written on the transform wins.
  EXPECT_EQ(phones(mapping, "", "020 7946 0958").second, "+442079460958");
}

TEST(PhoneRegion, TheRepsRegionWinsOverTheMappingsButNotOverTheTransforms) {
  const Mapping mapping = load("phone_region: DE\n" + kFields);
  const auto [phone, fax] =
      phones(mapping, "01 23 45 67 89", "020 7946 0958", CompileOptions{.phone_region = "FR"});
  EXPECT_EQ(phone, "+33123456789");
  EXPECT_EQ(fax, "+442079460958");
}

TEST(PhoneRegion, AnUnknownRegionIsALoadErrorAtItsPosition) {
  Diagnostics diags;
  EXPECT_FALSE(load_mapping_text("test.yaml", "phone_region: UK\n" + kFields, diags));
  const std::string text = diags.render();
  EXPECT_NE(text.find("test.yaml:1:15: error: 'phone_region' unknown phone region 'UK'"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace crmsync::mappings
