// Runs parsed SOQL against the record store: resolves field paths against the schema (including
// one level of parent relationship, e.g. Account.Name, Owner.Email), filters, sorts, and writes
// result records in the REST shape with nested parent objects.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "json/json_writer.hpp"
#include "salesforce/record_store.hpp"
#include "salesforce/soql_ast.hpp"

namespace sandbox::salesforce::soql {

struct ResolvedField {
  const FieldDef* field = nullptr;      // the field read (on the parent for relationship paths)
  const FieldDef* reference = nullptr;  // the lookup field on the queried object, if any
  const ObjectDef* parent = nullptr;
};

// One entry of the output layout: a plain field or a parent object with its fields.
struct OutputColumn {
  const FieldDef* field = nullptr;  // plain field
  const FieldDef* reference = nullptr;
  const ObjectDef* parent = nullptr;
  std::vector<const FieldDef*> parent_fields;
};

struct PreparedQuery {
  std::string statement;
  Query query;
  const ObjectDef* object = nullptr;
  std::map<const FieldRef*, ResolvedField> resolved;
  std::vector<OutputColumn> columns;
};

// Parses and resolves; throws QueryError (MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD).
std::shared_ptr<const PreparedQuery> prepare(const Schema& schema, const std::string& statement);

// Matching records in result order, after ORDER BY, OFFSET and LIMIT.
std::vector<const Record*> execute(const PreparedQuery& prepared, RecordStore& store,
                                   bool include_deleted);

// One result record as the query resource returns it.
void write_result_record(json::Writer& out, const PreparedQuery& prepared, RecordStore& store,
                         const Record& record, const std::string& api_version);

}  // namespace sandbox::salesforce::soql
