// Global and per-object describe (reference §2.5, §9).
#include <fstream>
#include <set>

#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class DescribeTest : public SandboxTest {
 protected:
  // The describe entry of one field as {pointer prefix}, found by name.
  std::string field_pointer(const Reply& reply, const std::string& name) {
    const std::size_t count = reply.json_size("/fields");
    for (std::size_t i = 0; i < count; ++i) {
      const std::string pointer = "/fields/" + std::to_string(i);
      if (reply.json(pointer + "/name") == name) return pointer;
    }
    return "/fields/missing";
  }
};

TEST_F(DescribeTest, GlobalDescribeListsStandardObjects) {
  const Reply reply = client_->api("GET", std::string(kData) + "/sobjects");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.json("/encoding"), "UTF-8");
  EXPECT_EQ(reply.json("/maxBatchSize"), "200");
  std::set<std::string> names;
  for (std::size_t i = 0; i < reply.json_size("/sobjects"); ++i) {
    names.insert(reply.json("/sobjects/" + std::to_string(i) + "/name"));
  }
  EXPECT_EQ(names, (std::set<std::string>{"Account", "Contact", "Lead", "User"}));
  EXPECT_EQ(reply.json("/sobjects/2/urls/describe"),
            "/services/data/v66.0/sobjects/Contact/describe");
}

TEST_F(DescribeTest, ContactDescribeHasRealisticFieldMetadata) {
  const Reply reply = client_->api("GET", std::string(kData) + "/sobjects/Contact/describe");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.json("/keyPrefix"), "003");
  const std::string last_name = field_pointer(reply, "LastName");
  EXPECT_EQ(reply.json(last_name + "/length"), "80");
  EXPECT_EQ(reply.json(last_name + "/nillable"), "false");
  EXPECT_EQ(reply.json(last_name + "/byteLength"), "240");
  const std::string email = field_pointer(reply, "Email");
  EXPECT_EQ(reply.json(email + "/type"), "email");
  EXPECT_EQ(reply.json(email + "/idLookup"), "true");
  const std::string owner = field_pointer(reply, "OwnerId");
  EXPECT_EQ(reply.json(owner + "/relationshipName"), "Owner");
  EXPECT_EQ(reply.json(owner + "/referenceTo/0"), "User");
  EXPECT_EQ(reply.json(owner + "/defaultedOnCreate"), "true");
  EXPECT_EQ(reply.json(owner + "/soapType"), "tns:ID");
  const std::string modstamp = field_pointer(reply, "SystemModstamp");
  EXPECT_EQ(reply.json(modstamp + "/type"), "datetime");
  EXPECT_EQ(reply.json(modstamp + "/createable"), "false");
  EXPECT_EQ(reply.json("/recordTypeInfos/0/recordTypeId"), "012000000000000AAA");
}

TEST_F(DescribeTest, LeadStatusIsARestrictedPicklist) {
  const Reply reply = client_->api("GET", std::string(kData) + "/sobjects/Lead/describe");
  const std::string status = field_pointer(reply, "Status");
  EXPECT_EQ(reply.json(status + "/restrictedPicklist"), "true");
  EXPECT_EQ(reply.json(status + "/picklistValues/0/value"), "Open - Not Contacted");
  EXPECT_EQ(reply.json(status + "/picklistValues/0/defaultValue"), "true");
  EXPECT_EQ(reply.json(field_pointer(reply, "Company") + "/nillable"), "false");
}

TEST_F(DescribeTest, UnknownObjectIsNotFound) {
  const Reply reply = client_->api("GET", std::string(kData) + "/sobjects/Widget__c/describe");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.json("/0/errorCode"), "NOT_FOUND");
}

class SchemaFileTest : public SandboxTest {
 protected:
  std::vector<std::string> extra_args() override {
    const auto path = dir_ / "schema.yaml";
    std::ofstream(path) << "objects:\n"
                           "  - name: Contact\n"
                           "    fields:\n"
                           "      - { name: Ext_Id__c, label: External Id, type: string, length: "
                           "20, externalId: true, unique: true }\n"
                           "  - name: Project__c\n"
                           "    label: Project\n"
                           "    keyPrefix: a01\n"
                           "    fields:\n"
                           "      - { name: Budget__c, type: currency }\n";
    return {"--schema", path.string()};
  }
};

TEST_F(SchemaFileTest, CustomFieldsAndObjectsAppearAndWork) {
  const Reply describe = client_->api("GET", std::string(kData) + "/sobjects/Project__c/describe");
  ASSERT_EQ(describe.status, 200) << describe.body;
  EXPECT_EQ(describe.json("/keyPrefix"), "a01");
  EXPECT_EQ(describe.json("/custom"), "true");
  const Reply upsert = client_->api(
      "PATCH", std::string(kData) + "/sobjects/Contact/Ext_Id__c/CRM-1", R"({"LastName":"Ext"})");
  ASSERT_EQ(upsert.status, 201) << upsert.body;
  EXPECT_EQ(upsert.json("/created"), "true");
  const Reply again = client_->api(
      "PATCH", std::string(kData) + "/sobjects/Contact/Ext_Id__c/CRM-1", R"({"Title":"CEO"})");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json("/created"), "false");
  EXPECT_EQ(again.json("/id"), upsert.json("/id"));
  const Reply project = client_->api("POST", std::string(kData) + "/sobjects/Project__c",
                                     R"({"Name":"P","Budget__c":12})");
  ASSERT_EQ(project.status, 201) << project.body;
  EXPECT_EQ(project.json("/id").substr(0, 3), "a01");
  const Reply read =
      client_->api("GET", std::string(kData) + "/sobjects/Project__c/" + project.json("/id"));
  EXPECT_EQ(read.json("/Budget__c"), "12.0");
}

}  // namespace
}  // namespace sandbox_test
