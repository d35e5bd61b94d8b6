// The standard objects of the emulated org, with the field metadata of reference §9 (lengths,
// requiredness, lookups, picklists) plus the system fields of §9.1.
#include "salesforce/schema.hpp"

namespace sandbox::salesforce {
namespace {

ObjectDef make_object(std::string name, std::string label_plural, std::string key_prefix) {
  ObjectDef object;
  object.label = name;
  object.name = std::move(name);
  object.label_plural = std::move(label_plural);
  object.key_prefix = std::move(key_prefix);
  return object;
}

FieldDef field(std::string name, std::string label, FieldType type, int length = 0) {
  FieldDef def;
  def.name = std::move(name);
  def.label = std::move(label);
  def.type = type;
  def.length = length;
  if (type == FieldType::Id || type == FieldType::Reference) def.length = 18;
  return def;
}

FieldDef text(std::string name, std::string label, int length) {
  return field(std::move(name), std::move(label), FieldType::String, length);
}

FieldDef required(FieldDef def) {
  def.nillable = false;
  return def;
}

FieldDef read_only(FieldDef def) {
  def.createable = false;
  def.updateable = false;
  return def;
}

FieldDef lookup_key(FieldDef def) {
  def.id_lookup = true;
  return def;
}

FieldDef reference(std::string name, std::string label, std::string target,
                   std::string relationship) {
  FieldDef def = field(std::move(name), std::move(label), FieldType::Reference);
  def.reference_to = {std::move(target)};
  def.relationship_name = std::move(relationship);
  return def;
}

FieldDef picklist(std::string name, std::string label, std::vector<std::string> values,
                  bool restricted = false) {
  FieldDef def = field(std::move(name), std::move(label), FieldType::Picklist, 255);
  def.picklist_values = std::move(values);
  def.restricted_picklist = restricted;
  return def;
}

FieldDef flag(std::string name, std::string label) {
  FieldDef def = field(std::move(name), std::move(label), FieldType::Boolean);
  def.nillable = false;
  def.defaulted_on_create = true;
  return def;
}

void add_system_fields(ObjectDef& object, bool owned) {
  FieldDef id = read_only(field("Id", object.label + " ID", FieldType::Id));
  id.nillable = false;
  id.defaulted_on_create = true;
  id.id_lookup = true;
  object.add_field(id);
  object.add_field(read_only(flag("IsDeleted", "Deleted")));
  FieldDef created = read_only(field("CreatedDate", "Created Date", FieldType::DateTime));
  created.nillable = false;
  created.defaulted_on_create = true;
  object.add_field(created);
  FieldDef created_by = read_only(reference("CreatedById", "Created By ID", "User", "CreatedBy"));
  created_by.nillable = false;
  created_by.defaulted_on_create = true;
  object.add_field(created_by);
  FieldDef modified = created;
  modified.name = "LastModifiedDate";
  modified.label = "Last Modified Date";
  object.add_field(modified);
  FieldDef modified_by = created_by;
  modified_by.name = "LastModifiedById";
  modified_by.label = "Last Modified By ID";
  modified_by.relationship_name = "LastModifiedBy";
  object.add_field(modified_by);
  FieldDef modstamp = created;
  modstamp.name = "SystemModstamp";
  modstamp.label = "System Modstamp";
  object.add_field(modstamp);
  object.add_field(read_only(field("LastActivityDate", "Last Activity", FieldType::Date)));
  if (owned) {
    FieldDef owner = reference("OwnerId", "Owner ID", "User", "Owner");
    owner.nillable = false;
    owner.defaulted_on_create = true;
    object.add_field(owner);
  }
}

void add_address(ObjectDef& object, const std::string& prefix, const std::string& name) {
  const std::string label = name.empty() ? "" : name + " ";
  object.add_field(field(prefix + "Street", label + "Street", FieldType::Textarea, 255));
  object.add_field(text(prefix + "City", label + "City", 40));
  object.add_field(text(prefix + "State", label + "State/Province", 80));
  object.add_field(text(prefix + "PostalCode", label + "Zip/Postal Code", 20));
  object.add_field(text(prefix + "Country", label + "Country", 80));
}

void add_person_name(ObjectDef& object) {
  object.add_field(text("FirstName", "First Name", 40));
  object.add_field(required(text("LastName", "Last Name", 80)));
  object.add_field(read_only(text("Name", "Full Name", 121)));
}

ObjectDef user_object() {
  ObjectDef user = make_object("User", "Users", "005");
  add_system_fields(user, false);
  add_person_name(user);
  FieldDef username = lookup_key(required(text("Username", "Username", 80)));
  username.unique = true;
  user.add_field(username);
  user.add_field(lookup_key(required(field("Email", "Email", FieldType::Email, 128))));
  user.add_field(required(text("Alias", "Alias", 8)));
  user.add_field(text("CommunityNickname", "Nickname", 40));
  user.add_field(flag("IsActive", "Active"));
  user.add_field(text("Title", "Title", 80));
  user.add_field(text("Department", "Department", 80));
  user.add_field(text("CompanyName", "Company Name", 80));
  user.add_field(text("Division", "Division", 80));
  user.add_field(field("Phone", "Phone", FieldType::Phone, 40));
  user.add_field(field("MobilePhone", "Mobile", FieldType::Phone, 40));
  user.add_field(
      required(picklist("TimeZoneSidKey", "Time Zone",
                        {"America/Los_Angeles", "America/New_York", "Europe/London", "GMT"})));
  user.add_field(
      required(picklist("LocaleSidKey", "Locale", {"en_US", "en_GB", "fr_FR", "de_DE"})));
  user.add_field(required(picklist("EmailEncodingKey", "Email Encoding", {"UTF-8", "ISO-8859-1"})));
  user.add_field(required(picklist("LanguageLocaleKey", "Language", {"en_US", "fr", "de"})));
  user.add_field(reference("ManagerId", "Manager ID", "User", "Manager"));
  user.add_field(text("FederationIdentifier", "SAML Federation ID", 512));
  return user;
}

ObjectDef account_object() {
  ObjectDef account = make_object("Account", "Accounts", "001");
  add_system_fields(account, true);
  account.add_field(lookup_key(required(text("Name", "Account Name", 255))));
  account.add_field(text("AccountNumber", "Account Number", 40));
  account.add_field(field("Phone", "Account Phone", FieldType::Phone, 40));
  account.add_field(field("Fax", "Account Fax", FieldType::Phone, 40));
  account.add_field(field("Website", "Website", FieldType::Url, 255));
  account.add_field(
      picklist("Type", "Account Type",
               {"Prospect", "Customer - Direct", "Customer - Channel", "Channel Partner / Reseller",
                "Installation Partner", "Technology Partner", "Other"}));
  account.add_field(picklist("Industry", "Industry",
                             {"Agriculture", "Banking", "Communications", "Construction",
                              "Consulting", "Education", "Electronics", "Energy", "Finance",
                              "Healthcare", "Manufacturing", "Retail", "Technology", "Other"}));
  account.add_field(
      picklist("AccountSource", "Account Source",
               {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}));
  add_address(account, "Billing", "Billing");
  add_address(account, "Shipping", "Shipping");
  account.add_field(field("Description", "Account Description", FieldType::Textarea, 32000));
  FieldDef employees = field("NumberOfEmployees", "Employees", FieldType::Int);
  employees.precision = 8;
  account.add_field(employees);
  FieldDef revenue = field("AnnualRevenue", "Annual Revenue", FieldType::Currency);
  revenue.precision = 18;
  account.add_field(revenue);
  account.add_field(reference("ParentId", "Parent Account ID", "Account", "Parent"));
  return account;
}

ObjectDef contact_object() {
  ObjectDef contact = make_object("Contact", "Contacts", "003");
  add_system_fields(contact, true);
  add_person_name(contact);
  contact.add_field(picklist("Salutation", "Salutation", {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof."}));
  contact.add_field(reference("AccountId", "Account ID", "Account", "Account"));
  contact.add_field(reference("ReportsToId", "Reports To ID", "Contact", "ReportsTo"));
  contact.add_field(lookup_key(field("Email", "Email", FieldType::Email, 80)));
  for (const auto& [name, label] :
       {std::pair{"Phone", "Business Phone"}, std::pair{"MobilePhone", "Mobile Phone"},
        std::pair{"HomePhone", "Home Phone"}, std::pair{"OtherPhone", "Other Phone"},
        std::pair{"Fax", "Business Fax"}, std::pair{"AssistantPhone", "Asst. Phone"}}) {
    contact.add_field(field(name, label, FieldType::Phone, 40));
  }
  contact.add_field(text("Title", "Title", 128));
  contact.add_field(text("Department", "Department", 80));
  contact.add_field(text("AssistantName", "Assistant's Name", 40));
  add_address(contact, "Mailing", "Mailing");
  add_address(contact, "Other", "Other");
  contact.add_field(field("Description", "Contact Description", FieldType::Textarea, 32000));
  contact.add_field(
      picklist("LeadSource", "Lead Source",
               {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}));
  contact.add_field(field("Birthdate", "Birthdate", FieldType::Date));
  contact.add_field(flag("HasOptedOutOfEmail", "Email Opt Out"));
  contact.add_field(flag("DoNotCall", "Do Not Call"));
  contact.add_field(flag("HasOptedOutOfFax", "Fax Opt Out"));
  return contact;
}

ObjectDef lead_object() {
  ObjectDef lead = make_object("Lead", "Leads", "00Q");
  add_system_fields(lead, true);
  add_person_name(lead);
  lead.add_field(picklist("Salutation", "Salutation", {"Mr.", "Ms.", "Mrs.", "Dr.", "Prof."}));
  lead.add_field(required(text("Company", "Company", 255)));
  FieldDef status = required(picklist("Status", "Status",
                                      {"Open - Not Contacted", "Working - Contacted",
                                       "Closed - Converted", "Closed - Not Converted"},
                                      true));
  status.defaulted_on_create = true;
  lead.add_field(status);
  lead.add_field(text("Title", "Title", 128));
  lead.add_field(lookup_key(field("Email", "Email", FieldType::Email, 80)));
  lead.add_field(field("Phone", "Phone", FieldType::Phone, 40));
  lead.add_field(field("MobilePhone", "Mobile Phone", FieldType::Phone, 40));
  lead.add_field(field("Fax", "Fax", FieldType::Phone, 40));
  add_address(lead, "", "");
  lead.add_field(field("Website", "Website", FieldType::Url, 255));
  lead.add_field(picklist("LeadSource", "Lead Source",
                          {"Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"}));
  lead.add_field(picklist("Industry", "Industry",
                          {"Banking", "Consulting", "Education", "Healthcare", "Manufacturing",
                           "Retail", "Technology", "Other"}));
  lead.add_field(picklist("Rating", "Rating", {"Hot", "Warm", "Cold"}));
  FieldDef revenue = field("AnnualRevenue", "Annual Revenue", FieldType::Currency);
  revenue.precision = 18;
  lead.add_field(revenue);
  lead.add_field(field("NumberOfEmployees", "Employees", FieldType::Int));
  lead.add_field(field("Description", "Description", FieldType::Textarea, 32000));
  lead.add_field(flag("HasOptedOutOfEmail", "Email Opt Out"));
  lead.add_field(flag("DoNotCall", "Do Not Call"));
  lead.add_field(read_only(flag("IsConverted", "Converted")));
  lead.add_field(read_only(field("ConvertedDate", "Converted Date", FieldType::Date)));
  lead.add_field(read_only(
      reference("ConvertedAccountId", "Converted Account ID", "Account", "ConvertedAccount")));
  lead.add_field(read_only(
      reference("ConvertedContactId", "Converted Contact ID", "Contact", "ConvertedContact")));
  return lead;
}

}  // namespace

Schema Schema::standard() {
  Schema schema;
  schema.add_object(user_object());
  schema.add_object(account_object());
  schema.add_object(contact_object());
  schema.add_object(lead_object());
  return schema;
}

}  // namespace sandbox::salesforce
