// SalesforceCrm::query — SOQL built from a CrmQuery, IN lists split to keep URLs short, pages
// followed through nextRecordsUrl, and records flattened to field -> value (parents dotted).
// Reads of several queries (or IN-list statements) go out up to five pages per Composite call.
#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>
#include <deque>
#include <span>

#include "connectors/salesforce/api_error.hpp"
#include "connectors/salesforce/salesforce_crm.hpp"
#include "connectors/salesforce/soql_text.hpp"
#include "core/error.hpp"
#include "core/text/json_writer.hpp"

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

// One page of one query still to read.
struct Page {
  std::size_t query;  // which of the queries
  std::string soql;   // its statement, should it move to a Bulk query
  std::string path;   // the page to read
  bool first = true;
};

// A refused read, with the CRM's reason: transient ones (limits, outages) are tried again later.
[[noreturn]] void throw_query_error(std::string_view what, const std::string& body) {
  const auto errors = parse_error_body(body);
  const auto& error = errors.front();
  throw Error(category_for(action_for(error)) == ErrorCategory::transient
                  ? ErrorCategory::transient
                  : ErrorCategory::permanent,
              "query " + std::string(what) + ": " + error.code + ": " + error.message);
}

// Salesforce takes at most five query subrequests in one Composite call, which counts as one
// API call (reference §5.7).
constexpr std::size_t kPagesPerComposite = 5;

// Several pages in one POST /composite: each page's status and body, in the order asked.
std::vector<std::pair<int, std::string>> read_pages_together(SalesforceCrm& crm,
                                                             std::span<const Page> pages) {
  JsonWriter request;
  request.begin_object().key("allOrNone").value(false).key("compositeRequest").begin_array();
  for (std::size_t n = 0; n < pages.size(); ++n)
    request.begin_object()
        .key("method")
        .value("GET")
        .key("url")
        .value(pages[n].path)
        .key("referenceId")
        .value(fmt::format("page{}", n))
        .end_object();
  request.end_array().end_object();
  // Reads only: safe to send again.
  const auto response =
      crm.call("POST", crm.data_path("composite"), request.take(), "composite", true);
  if (response.status != 200) throw_query_error("composite", response.body);
  std::vector<std::pair<int, std::string>> answers(pages.size(), {0, ""});
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(response.body)["compositeResponse"].get_array().get(items) != simdjson::SUCCESS)
    throw Error(ErrorCategory::transient, "query: composite: no compositeResponse");
  for (auto item : items) {
    std::string_view reference;
    std::int64_t status = 0;
    simdjson::dom::element body;
    std::size_t n = pages.size();
    if (item["referenceId"].get_string().get(reference) == simdjson::SUCCESS
        && reference.starts_with("page"))
      std::from_chars(reference.data() + 4, reference.data() + reference.size(), n);
    if (n >= pages.size() || item["httpStatusCode"].get_int64().get(status) != simdjson::SUCCESS
        || item["body"].get(body) != simdjson::SUCCESS)
      continue;
    answers[n] = {static_cast<int>(status), simdjson::minify(body)};
  }
  for (const auto& [status, body] : answers)
    if (status == 0)
      throw Error(ErrorCategory::transient, "query: composite: a page's answer is missing");
  return answers;
}

}  // namespace

std::vector<std::string> SalesforceCrm::query_statements(const CrmQuery& query) const {
  std::vector<std::string> fields = query.fields;
  if (query.include_deleted && std::find(fields.begin(), fields.end(), "IsDeleted") == fields.end())
    fields.push_back("IsDeleted");
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < fields.size(); ++i)
    select += (i ? ", " : "") + fields[i];
  select += " FROM " + query.object;

  std::string where;
  if (query.modified_since)
    where = " WHERE SystemModstamp >= " + soql_datetime(*query.modified_since);
  // Ordered so a watermark taken from the last record seen is safe to resume from.
  const std::string order = query.modified_since ? " ORDER BY SystemModstamp, Id" : "";

  std::vector<std::string> statements;
  if (query.in_field.empty()) {
    statements.push_back(select + where + order);
  } else if (!query.in_values.empty()) {
    const std::string prefix =
        select + where + (where.empty() ? " WHERE " : " AND ") + query.in_field + " IN ";
    for (const auto& list : soql_in_lists(query.in_values, query_endpoint(query) + prefix, order))
      statements.push_back(prefix + list + order);
  }
  return statements;
}

std::string SalesforceCrm::query_endpoint(const CrmQuery& query) const {
  return data_path(query.include_deleted ? "queryAll" : "query") + "?q=";
}

std::size_t SalesforceCrm::query(const CrmQuery& query,
                                 const std::function<void(const CrmValues&)>& out) {
  std::size_t count = 0;
  query_together(std::span(&query, 1), [&](std::size_t, const CrmValues& values) {
    ++count;
    out(values);
  });
  return count;
}

void SalesforceCrm::query_together(std::span<const CrmQuery> queries,
                                   const std::function<void(std::size_t, const CrmValues&)>& out) {
  std::deque<Page> pending;
  for (std::size_t q = 0; q < queries.size(); ++q)
    for (auto& soql : query_statements(queries[q])) {
      auto path = query_endpoint(queries[q]) + url_encode(soql);
      pending.push_back({q, std::move(soql), std::move(path), true});
    }

  simdjson::dom::parser parser;
  auto take_page = [&](Page& page, int status, const std::string& body) {
    const auto& query = queries[page.query];
    if (status != 200) throw_query_error(query.object, body);
    simdjson::dom::element root;
    if (parser.parse(body).get(root) != simdjson::SUCCESS)
      throw Error(ErrorCategory::transient, "query " + query.object + ": invalid JSON page");
    // A large read (the first load of a big org) costs one call per 2000 records through REST;
    // a Bulk query job costs a handful for any size. The first page says how large it is: the
    // one call spent to learn that is the price of never paying Bulk's overhead on small reads.
    std::int64_t total = 0;
    if (page.first && settings_.bulk_query_threshold > 0
        && root["totalSize"].get_int64().get(total) == simdjson::SUCCESS
        && total > settings_.bulk_query_threshold) {
      query_bulk(page.soql, query.include_deleted,
                 [&](const CrmValues& values) { out(page.query, values); });
      return;
    }
    simdjson::dom::array records;
    if (root["records"].get_array().get(records) == simdjson::SUCCESS) {
      for (auto record : records) {
        simdjson::dom::object object;
        if (record.get_object().get(object) != simdjson::SUCCESS) continue;
        CrmValues values;
        flatten(object, "", values);
        out(page.query, values);
      }
    }
    std::string_view next;
    if (root["nextRecordsUrl"].get_string().get(next) == simdjson::SUCCESS)
      pending.push_back({page.query, page.soql, std::string(next), false});
  };

  while (!pending.empty()) {
    std::vector<Page> batch;
    while (!pending.empty() && batch.size() < kPagesPerComposite) {
      batch.push_back(std::move(pending.front()));
      pending.pop_front();
    }
    if (batch.size() == 1) {
      const auto response = call("GET", batch[0].path, "", "query", true);
      take_page(batch[0], response.status, response.body);
      continue;
    }
    const auto answers = read_pages_together(*this, batch);
    for (std::size_t n = 0; n < batch.size(); ++n)
      take_page(batch[n], answers[n].first, answers[n].second);
  }
}

}  // namespace crmsync::salesforce
