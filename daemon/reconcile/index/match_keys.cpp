#include "daemon/reconcile/index/match_keys.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <memory>
#include <variant>

#include "daemon/reconcile/match/name_similarity.hpp"
#include "mappings/transforms/registry.hpp"

namespace crmsync::reconcile {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

struct MatchKeyBuilder::Impl {
  // The mapping language's own company_key transform, so accounts the CRM holds and companies
  // reps type fold under exactly the same rules.
  std::unique_ptr<mappings::Transform> company_key;
};

MatchKeyBuilder::MatchKeyBuilder(std::string default_region,
                                 std::vector<std::string> external_id_fields)
    : region_(std::move(default_region)),
      external_id_fields_(std::move(external_id_fields)),
      impl_(new Impl) {
  auto made = mappings::make_with_defaults(mappings::company_key_transform());
  if (auto* transform = std::get_if<std::unique_ptr<mappings::Transform>>(&made))
    impl_->company_key = std::move(*transform);
}

MatchKeyBuilder::~MatchKeyBuilder() {
  delete impl_;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string external_id_key(std::string_view field, std::string_view value) {
  std::string key;
  key.reserve(field.size() + 1 + value.size());
  key.append(field).append(1, '=').append(lower_ascii(value));
  return key;
}

std::string MatchKeyBuilder::company_key(std::string_view company) const {
  std::string value(company);
  if (value.empty() || !impl_->company_key) return lower_ascii(value);
  if (!impl_->company_key->apply(value).ok()) return {};
  return value;
}

std::string MatchKeyBuilder::e164(std::string_view phone) const {
  if (phone.empty()) return {};
  if (phone.front() == '+' && phone.find_first_not_of("+0123456789") == std::string_view::npos)
    return std::string(phone);
  const auto& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(std::string(phone), region_, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return {};
  if (!util.IsPossibleNumber(number)) return {};
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

namespace {
void set_email(PersonKeys& keys, std::string_view email) {
  keys.email = lower_ascii(email);
  const auto at = keys.email.rfind('@');
  keys.email_domain = at == std::string::npos ? std::string() : keys.email.substr(at + 1);
}
}  // namespace

bool is_match_key_field(std::string_view field) noexcept {
  return field == kFirstNameField || field == kLastNameField || field == kEmailField
         || field == kAccountNameField
         || std::find(std::begin(kPhoneFields), std::end(kPhoneFields), field)
                != std::end(kPhoneFields);
}

PersonKeys MatchKeyBuilder::from_crm(const CrmValues& values) const {
  PersonKeys keys;
  if (auto v = value_of(values, kFirstNameField)) keys.first = fold_name(*v);
  if (auto v = value_of(values, kLastNameField)) keys.last = fold_name(*v);
  if (auto v = value_of(values, kEmailField)) set_email(keys, *v);
  for (const auto field : kPhoneFields)
    if (auto v = value_of(values, field); v && !v->empty())
      if (auto normal = e164(*v); !normal.empty()) keys.phones.push_back(std::move(normal));
  if (auto v = value_of(values, kAccountNameField)) keys.company_key = company_key(*v);
  for (const auto& field : external_id_fields_)
    if (auto v = value_of(values, field); v && !v->empty())
      keys.external_ids.push_back(external_id_key(field, *v));
  return keys;
}

PersonKeys MatchKeyBuilder::from_row(const mappings::CrmRecord& record,
                                     std::string_view company) const {
  PersonKeys keys;
  person_keys(record, keys);
  keys.company_key = company_key(company);
  return keys;
}

void MatchKeyBuilder::person_keys(const mappings::CrmRecord& record, PersonKeys& keys) const {
  if (const auto* f = record.field(kFirstNameField)) keys.first = fold_name(f->value);
  if (const auto* f = record.field(kLastNameField)) keys.last = fold_name(f->value);
  if (const auto* f = record.field(kEmailField)) set_email(keys, f->value);
  for (const auto field : kPhoneFields)
    if (const auto* f = record.field(field); f && !f->value.empty())
      if (auto normal = e164(f->value); !normal.empty()) keys.phones.push_back(std::move(normal));
  if (!record.external_id_field.empty())
    if (const auto* f = record.field(record.external_id_field); f && !f->value.empty())
      keys.external_ids.push_back(external_id_key(f->name, f->value));
}

}  // namespace crmsync::reconcile
