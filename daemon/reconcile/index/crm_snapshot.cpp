#include "daemon/reconcile/index/crm_snapshot.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/text/json_writer.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::reconcile {

namespace {
constexpr std::string_view kModstamp = "SystemModstamp";

// True when every field of `fields` is among those `joined` names.
bool holds_all(std::string_view joined, const std::vector<std::string>& fields) {
  std::vector<std::string_view> held;
  for (std::size_t at = 0; at <= joined.size();) {
    const auto end = std::min(joined.find(',', at), joined.size());
    held.push_back(joined.substr(at, end - at));
    at = end + 1;
  }
  return std::all_of(fields.begin(), fields.end(), [&](const std::string& field) {
    return std::find(held.begin(), held.end(), field) != held.end();
  });
}

std::optional<std::string> owned_string(std::optional<std::string_view> text) {
  return text ? std::optional<std::string>(std::string(*text)) : std::nullopt;
}
}  // namespace

void write_stored_values(JsonWriter& json, const CrmValues& values) {
  json.begin_object();
  for (const auto& [field, value] : values) {
    json.key(field);
    if (value)
      json.value(*value);
    else
      json.null();
  }
  json.end_object();
}

std::string stored_values_json(const CrmValues& values) {
  JsonWriter json;
  write_stored_values(json, values);
  return json.take();
}

CrmValues parse_stored_values(std::string_view text) {
  CrmValues values;
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(text.data(), text.size()).get_object().get(object) != simdjson::SUCCESS)
    return values;
  for (auto [key, value] : object) {
    std::string_view string;
    if (value.get_string().get(string) == simdjson::SUCCESS)
      values.emplace_back(std::string(key), std::string(string));
    else
      values.emplace_back(std::string(key), std::nullopt);
  }
  return values;
}

std::size_t CrmIndexStore::refresh(Crm& crm, const std::vector<IndexedObject>& objects,
                                   std::span<const CrmQuery> also, const AlsoRecords& also_out) {
  auto& db = store_.connection();
  std::vector<CrmQuery> queries;
  std::vector<std::optional<std::string>> watermarks;
  for (const auto& object : objects) {
    CrmQuery query;
    query.object = object.object;
    query.fields = {"Id", std::string(kModstamp)};
    for (const auto& field : object.fields)
      if (std::find(query.fields.begin(), query.fields.end(), field) == query.fields.end())
        query.fields.push_back(field);
    // Only a watermark taken with every field asked for now counts: records unchanged since would
    // lack a field a mapping added, so then the object is loaded whole.
    std::optional<std::string> watermark;
    auto select = db.prepare("SELECT modstamp, fields FROM watermarks WHERE object = ?");
    select.bind(1, object.object);
    if (select.step()) {
      if (holds_all(select.text(1), query.fields))
        watermark = select.text(0);
      else
        spdlog::info("index: {} is loaded afresh: the mappings read fields it does not hold",
                     object.object);
    }
    // Inclusive: records changed in the same second as the last one seen are read again (the
    // overlap costs a few rows; missing one would cost a duplicate).
    query.modified_since = watermark;
    query.include_deleted = watermark.has_value();
    queries.push_back(std::move(query));
    watermarks.push_back(std::move(watermark));
  }
  queries.insert(queries.end(), also.begin(), also.end());

  std::vector<std::string> newest;
  for (const auto& watermark : watermarks)
    newest.push_back(watermark.value_or(""));
  std::vector<std::size_t> counts(objects.size(), 0);
  state::Transaction transaction(db);
  auto upsert = db.prepare(
      "INSERT INTO crm_index (object, crm_id, owner_id, modstamp, is_deleted, fields_json) "
      "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (object, crm_id) DO UPDATE SET "
      "owner_id = excluded.owner_id, modstamp = excluded.modstamp, is_deleted = 0, "
      "fields_json = excluded.fields_json");
  auto remove = db.prepare(
      "UPDATE crm_index SET is_deleted = 1, modstamp = ? WHERE object = ? AND crm_id = ?");
  // A whole load lists only live records: what it does not bring back is gone from the CRM.
  auto forget = db.prepare("UPDATE crm_index SET is_deleted = 1 WHERE object = ?");
  for (std::size_t q = 0; q < objects.size(); ++q)
    if (!watermarks[q]) {
      forget.bind(1, objects[q].object).run();
      forget.reset();
    }
  crm.query_together(queries, [&](std::size_t q, const CrmValues& values) {
    if (q >= objects.size()) {
      if (also_out) also_out(q - objects.size(), values);
      return;
    }
    ++counts[q];
    const auto& object = objects[q].object;
    const auto id = value_of(values, "Id");
    const auto modstamp = value_of(values, kModstamp);
    if (!id || id->empty()) return;
    const std::string stamp(modstamp.value_or(""));
    if (stamp > newest[q]) newest[q] = stamp;
    if (value_of(values, "IsDeleted").value_or("false") == "true") {
      remove.bind(1, stamp).bind(2, object).bind(3, *id).run();
      remove.reset();
      return;
    }
    upsert.bind(1, object).bind(2, *id);
    upsert.bind(3, owned_string(value_of(values, "OwnerId")));
    upsert.bind(4, stamp).bind(5, stored_values_json(values)).run();
    upsert.reset();
  });
  auto mark = db.prepare(
      "INSERT INTO watermarks (object, modstamp, refreshed_at, fields) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (object) DO UPDATE SET modstamp = excluded.modstamp, "
      "refreshed_at = excluded.refreshed_at, fields = excluded.fields");
  std::size_t total = 0;
  for (std::size_t q = 0; q < objects.size(); ++q) {
    if (!newest[q].empty()) {
      mark.bind(1, objects[q].object).bind(2, newest[q]).bind(3, state::utc_now_iso8601());
      // The fields it was taken with, as holds_all() reads them back.
      mark.bind(4, fmt::format("{}", fmt::join(queries[q].fields, ","))).run();
      mark.reset();
    }
    spdlog::debug("index: {} {} record(s) changed since {}", counts[q], objects[q].object,
                  watermarks[q].value_or("the beginning"));
    total += counts[q];
  }
  transaction.commit();
  return total;
}

void CrmIndexStore::save(const std::string& object, const CrmValues& values) {
  const auto id = value_of(values, "Id");
  if (!id) return;
  auto upsert = store_.connection().prepare(
      "INSERT INTO crm_index (object, crm_id, owner_id, modstamp, is_deleted, fields_json) "
      "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (object, crm_id) DO UPDATE SET "
      "owner_id = coalesce(excluded.owner_id, crm_index.owner_id), modstamp = excluded.modstamp, "
      "is_deleted = 0, fields_json = excluded.fields_json");
  upsert.bind(1, object).bind(2, *id).bind(3, owned_string(value_of(values, "OwnerId")));
  upsert.bind(4, std::string(value_of(values, kModstamp).value_or("")));
  upsert.bind(5, stored_values_json(values)).run();
}

CrmSnapshot CrmIndexStore::load() {
  CrmSnapshot snapshot;
  auto& db = store_.connection();
  auto contacts = db.prepare(
      "SELECT crm_id, coalesce(owner_id, ''), modstamp, fields_json FROM crm_index "
      "WHERE object = 'Contact' AND is_deleted = 0");
  while (contacts.step()) {
    IndexedRecord record;
    record.id = contacts.text(0);
    record.owner_id = contacts.text(1);
    record.modstamp = contacts.text(2);
    record.keys = keys_.from_crm(parse_stored_values(contacts.text(3)));
    snapshot.contacts.add(record);
  }
  snapshot.contacts.freeze();
  auto accounts = db.prepare(
      "SELECT crm_id, fields_json FROM crm_index WHERE object = 'Account' AND is_deleted = 0 "
      "ORDER BY crm_id");
  while (accounts.step()) {
    const auto id = accounts.text(0);
    const auto values = parse_stored_values(accounts.text(1));
    const std::string name(value_of(values, "Name").value_or(""));
    snapshot.account_names[id] = name;
    const auto key = keys_.company_key(name);
    // Two accounts under one key: the oldest id wins, the same every cycle.
    if (!key.empty()) snapshot.accounts_by_key.emplace(key, id);
  }
  return snapshot;
}

std::optional<CrmValues> CrmIndexStore::values(const std::string& object, const std::string& id) {
  auto select = store_.connection().prepare(
      "SELECT fields_json FROM crm_index WHERE object = ? AND crm_id = ? AND is_deleted = 0");
  select.bind(1, object).bind(2, id);
  if (!select.step()) return std::nullopt;
  return parse_stored_values(select.text(0));
}

}  // namespace crmsync::reconcile
