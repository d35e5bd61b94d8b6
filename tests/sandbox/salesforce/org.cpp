#include "salesforce/org.hpp"

#include <random>

#include "salesforce/ids.hpp"

namespace sandbox::salesforce {
namespace {

constexpr const char* kIntegrationUsername = "integration@crmsync-sandbox.example";

}  // namespace

const char* call_kind_name(CallKind kind) {
  static constexpr const char* kNames[kCallKinds] = {"token",       "describe",  "query", "sobject",
                                                     "collections", "composite", "bulk",  "other"};
  return kNames[static_cast<std::size_t>(kind)];
}

Org::Org(Schema schema_in, OrgOptions options_in)
    : options(std::move(options_in)),
      schema(std::move(schema_in)),
      store(schema, options.state_dir) {
  ensure_integration_user();
}

std::string Org::new_secret(std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static std::mt19937_64 random{std::random_device{}()};
  std::string secret;
  secret.reserve(length);
  for (std::size_t i = 0; i < length; ++i)
    secret.push_back(kAlphabet[random() % kAlphabet.size()]);
  return secret;
}

void Org::ensure_integration_user() {
  const ObjectDef* user = schema.find("User");
  for (const Record* record : store.records_of(*user)) {
    const Value* username = record->get("Username");
    if (username != nullptr && std::get_if<std::string>(username) != nullptr
        && std::get<std::string>(*username) == kIntegrationUsername) {
      integration_user_id = record->id;
      return;
    }
  }
  Record record = Record::of(*user);
  record.id = store.next_id(*user);
  const std::string now = now_datetime();
  const std::pair<std::string_view, Value> values[] = {
      {"Id", record.id},
      {"IsDeleted", false},
      {"FirstName", std::string("Integration")},
      {"LastName", std::string("User")},
      {"Name", std::string("Integration User")},
      {"Username", std::string(kIntegrationUsername)},
      {"Email", std::string(kIntegrationUsername)},
      {"Alias", std::string("integ")},
      {"IsActive", true},
      {"TimeZoneSidKey", std::string("GMT")},
      {"LocaleSidKey", std::string("en_US")},
      {"EmailEncodingKey", std::string("UTF-8")},
      {"LanguageLocaleKey", std::string("en_US")},
      {"CreatedDate", now},
      {"LastModifiedDate", now},
      {"SystemModstamp", now},
      {"CreatedById", record.id},
      {"LastModifiedById", record.id}};
  for (const auto& [name, value] : values) {
    if (const FieldDef* field = user->find_field(name)) record.slot(*field) = value;
  }
  integration_user_id = record.id;
  store.insert(std::move(record));
}

void Org::reset() {
  store.clear();
  cursors.clear();
  ingest_jobs.clear();
  query_jobs.clear();
  api_usage = 0;
  for (auto& count : calls)
    count = 0;
  ensure_integration_user();
}

}  // namespace sandbox::salesforce
