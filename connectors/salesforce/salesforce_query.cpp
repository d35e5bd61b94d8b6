// SalesforceCrm::query — SOQL built from a CrmQuery, IN lists split to keep URLs short, pages
// followed through nextRecordsUrl, and records flattened to field -> value (parents dotted).
#include <fmt/format.h>
#include <simdjson.h>

#include "connectors/salesforce/api_error.hpp"
#include "connectors/salesforce/salesforce_crm.hpp"
#include "connectors/salesforce/soql_text.hpp"
#include "core/error.hpp"

namespace crmsync::salesforce {
namespace {

// Salesforce datetimes are "2024-01-01T00:00:00.000+0000"; SOQL wants the literal unquoted, in
// the form "2024-01-01T00:00:00Z" or with an offset "+00:00".
std::string soql_datetime(std::string_view iso) {
  std::string text(iso);
  if (text.size() >= 5 && (text[text.size() - 5] == '+' || text[text.size() - 5] == '-')
      && text.find(':', text.size() - 5) == std::string::npos)
    text.insert(text.size() - 2, ":");
  return text;
}

void flatten(simdjson::dom::object object, const std::string& prefix, CrmValues& out) {
  for (auto [key, value] : object) {
    if (key == "attributes") continue;
    const std::string name = prefix + std::string(key);
    switch (value.type()) {
      case simdjson::dom::element_type::NULL_VALUE:
        out.emplace_back(name, std::nullopt);
        break;
      case simdjson::dom::element_type::OBJECT:
        flatten(value.get_object().value_unsafe(), name + ".", out);
        break;
      case simdjson::dom::element_type::STRING:
        out.emplace_back(name, std::string(value.get_string().value_unsafe()));
        break;
      case simdjson::dom::element_type::BOOL:
        out.emplace_back(name, value.get_bool().value_unsafe() ? "true" : "false");
        break;
      default:
        out.emplace_back(name, simdjson::minify(value));
        break;
    }
  }
}

}  // namespace

std::size_t SalesforceCrm::query(const CrmQuery& query,
                                 const std::function<void(const CrmValues&)>& out) {
  std::vector<std::string> fields = query.fields;
  if (query.include_deleted && std::find(fields.begin(), fields.end(), "IsDeleted") == fields.end())
    fields.push_back("IsDeleted");
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < fields.size(); ++i)
    select += (i ? ", " : "") + fields[i];
  select += " FROM " + query.object;

  std::vector<std::string> conditions;
  if (query.modified_since)
    conditions.push_back("SystemModstamp >= " + soql_datetime(*query.modified_since));
  const std::string endpoint = data_path(query.include_deleted ? "queryAll" : "query") + "?q=";
  // Ordered so a watermark taken from the last record seen is safe to resume from.
  const std::string order = query.modified_since ? " ORDER BY SystemModstamp, Id" : "";

  std::vector<std::string> statements;
  if (query.in_field.empty()) {
    std::string where;
    for (const auto& condition : conditions)
      where += (where.empty() ? " WHERE " : " AND ") + condition;
    statements.push_back(select + where + order);
  } else if (!query.in_values.empty()) {
    std::string where;
    for (const auto& condition : conditions)
      where += (where.empty() ? " WHERE " : " AND ") + condition;
    const std::string prefix =
        select + where + (where.empty() ? " WHERE " : " AND ") + query.in_field + " IN ";
    for (const auto& list : soql_in_lists(query.in_values, endpoint + prefix, order))
      statements.push_back(prefix + list + order);
  }

  std::size_t count = 0;
  simdjson::dom::parser parser;
  for (const auto& soql : statements) {
    std::string path = endpoint + url_encode(soql);
    bool first_page = true;
    while (!path.empty()) {
      const auto response = call("GET", path, "", "query", true);
      if (response.status != 200) {
        const auto error = parse_error_body(response.body).front();
        throw Error(category_for(action_for(error)) == ErrorCategory::transient
                        ? ErrorCategory::transient
                        : ErrorCategory::permanent,
                    "query " + query.object + ": " + error.code + ": " + error.message);
      }
      simdjson::dom::element root;
      if (parser.parse(response.body).get(root) != simdjson::SUCCESS)
        throw Error(ErrorCategory::transient, "query " + query.object + ": invalid JSON page");
      // A large read (the first load of a big org) costs one call per 2000 records through REST;
      // a Bulk query job costs a handful for any size. The first page says how large it is: the
      // one call spent to learn that is the price of never paying Bulk's overhead on small reads.
      std::int64_t total = 0;
      if (first_page && settings_.bulk_query_threshold > 0
          && root["totalSize"].get_int64().get(total) == simdjson::SUCCESS
          && total > settings_.bulk_query_threshold) {
        count += query_bulk(soql, query.include_deleted, out);
        break;
      }
      first_page = false;
      simdjson::dom::array records;
      if (root["records"].get_array().get(records) == simdjson::SUCCESS) {
        for (auto record : records) {
          simdjson::dom::object object;
          if (record.get_object().get(object) != simdjson::SUCCESS) continue;
          CrmValues values;
          flatten(object, "", values);
          out(values);
          ++count;
        }
      }
      std::string_view next;
      path = root["nextRecordsUrl"].get_string().get(next) == simdjson::SUCCESS ? std::string(next)
                                                                                : std::string();
    }
  }
  return count;
}

}  // namespace crmsync::salesforce
