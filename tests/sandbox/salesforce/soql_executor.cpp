#include "salesforce/soql_executor.hpp"

#include <algorithm>

#include "salesforce/ids.hpp"

namespace sandbox::salesforce::soql {
namespace {

constexpr const char* kCustomFieldHint =
    "If you are attempting to use a custom field, be sure to append the '__c' after the custom "
    "field name. Please reference your WSDL or the describe call for the appropriate names.";

std::string soap_type_word(FieldType type) {
  switch (type) {
    case FieldType::Date:
      return "date";
    case FieldType::DateTime:
      return "dateTime";
    case FieldType::Int:
      return "integer";
    case FieldType::Double:
    case FieldType::Currency:
      return "double";
    case FieldType::Boolean:
      return "boolean";
    default:
      return "string";
  }
}

class Resolver {
 public:
  Resolver(const Schema& schema, PreparedQuery& prepared) : schema_(schema), prepared_(prepared) {}

  ResolvedField resolve(const FieldRef& ref) {
    std::vector<std::string> parts = ref.parts;
    // "Contact.Email" on FROM Contact names the queried object itself.
    if (parts.size() == 2 && lower(parts[0]) == lower(prepared_.object->name))
      parts.erase(parts.begin());
    ResolvedField resolved;
    if (parts.size() == 1) {
      resolved.field = prepared_.object->find_field(parts[0]);
      if (resolved.field == nullptr) no_such_column(ref, parts[0], *prepared_.object);
    } else if (parts.size() == 2) {
      resolved.reference = prepared_.object->find_relationship(parts[0]);
      if (resolved.reference == nullptr) {
        throw QueryError(
            "INVALID_FIELD",
            frame_error(prepared_.statement, ref.column,
                        "Didn't understand relationship '" + parts[0]
                            + "' in field path. If you are attempting to use a custom "
                              "relationship, be sure to append the '__r' after the custom "
                              "relationship name. Please reference your WSDL or the "
                              "describe call for the appropriate names."));
      }
      resolved.parent = schema_.find(resolved.reference->reference_to.front());
      if (resolved.parent == nullptr) no_such_column(ref, parts[1], *prepared_.object);
      resolved.field = resolved.parent->find_field(parts[1]);
      if (resolved.field == nullptr) no_such_column(ref, parts[1], *resolved.parent);
    } else {
      no_such_column(ref, ref.text, *prepared_.object);
    }
    prepared_.resolved[&ref] = resolved;
    return resolved;
  }

  void resolve_condition(const Condition& condition) {
    for (const auto& child : condition.children)
      resolve_condition(*child);
    if (condition.kind == Condition::Kind::And || condition.kind == Condition::Kind::Or
        || condition.kind == Condition::Kind::Not) {
      return;
    }
    const ResolvedField resolved = resolve(condition.field);
    for (const auto& value : condition.values)
      check_literal(condition, *resolved.field, value);
  }

 private:
  [[noreturn]] void no_such_column(const FieldRef& ref, const std::string& name,
                                   const ObjectDef& object) {
    throw QueryError("INVALID_FIELD", frame_error(prepared_.statement, ref.column,
                                                  "No such column '" + name + "' on entity '"
                                                      + object.name + "'. " + kCustomFieldHint));
  }

  void check_literal(const Condition& condition, const FieldDef& field, const Literal& value) {
    using Kind = Literal::Kind;
    if (value.kind == Kind::Null) return;
    bool ok = false;
    bool quoted_expected = false;
    switch (field.type) {
      case FieldType::Date:
        ok = value.kind == Kind::Date;
        break;
      case FieldType::DateTime:
        ok = value.kind == Kind::DateTime;
        break;
      case FieldType::Int:
      case FieldType::Double:
      case FieldType::Currency:
        ok = value.kind == Kind::Number;
        break;
      case FieldType::Boolean:
        ok = value.kind == Kind::Boolean;
        break;
      default:
        ok = value.kind == Kind::String;
        quoted_expected = true;
    }
    if (condition.kind == Condition::Kind::Like && !is_text(field.type)
        && field.type != FieldType::Id && field.type != FieldType::Reference) {
      throw QueryError("INVALID_FIELD",
                       frame_error(prepared_.statement, condition.field.column,
                                   "invalid operator on " + soap_type_word(field.type)
                                       + " field: " + condition.field.text));
    }
    if (ok) return;
    throw QueryError(
        "INVALID_FIELD",
        frame_error(prepared_.statement, condition.field.column,
                    "value of filter criterion for field '" + field.name + "' must be of type "
                        + soap_type_word(field.type)
                        + (quoted_expected ? " and should be enclosed in quotes"
                                           : " and should not be enclosed in quotes")));
  }

  const Schema& schema_;
  PreparedQuery& prepared_;
};

const Value* value_of(RecordStore& store, const Record& record, const ResolvedField& resolved) {
  if (resolved.reference == nullptr) return record.get(*resolved.field);
  const Value* parent_id = record.get(*resolved.reference);
  if (parent_id == nullptr || !std::holds_alternative<std::string>(*parent_id)) return nullptr;
  const Record* parent = store.find(std::get<std::string>(*parent_id));
  if (parent == nullptr || parent->deleted) return nullptr;
  return parent->get(*resolved.field);
}

bool like_match(std::string_view text, std::string_view pattern) {
  // Iterative wildcard match with backtracking to the last '%'.
  std::size_t t = 0, p = 0, star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '\\' && p + 1 < pattern.size()) {
      if (pattern[p + 1] == text[t]) {
        p += 2;
        ++t;
        continue;
      }
    } else if (p < pattern.size() && pattern[p] == '%') {
      star_p = p++;
      star_t = t;
      continue;
    } else if (p < pattern.size() && (pattern[p] == '_' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '%')
    ++p;
  return p == pattern.size();
}

// Three-way comparison of a non-null stored value with a non-null literal.
int compare(const FieldDef& field, const Value& value, const Literal& literal) {
  if (const auto* flag = std::get_if<bool>(&value)) return (*flag ? 1 : 0) - (literal.flag ? 1 : 0);
  if (const auto* number = std::get_if<double>(&value)) {
    return *number < literal.number ? -1 : (*number > literal.number ? 1 : 0);
  }
  const std::string& text = std::get<std::string>(value);
  if (field.type == FieldType::Id || field.type == FieldType::Reference) {
    const auto id = canonical_id(literal.text);
    return text.compare(id ? *id : literal.text);
  }
  if (field.type == FieldType::Date || field.type == FieldType::DateTime)
    return text.compare(literal.text);
  return lower(text).compare(lower(literal.text));
}

bool matches(const PreparedQuery& prepared, RecordStore& store, const Record& record,
             const Condition& condition) {
  using Kind = Condition::Kind;
  switch (condition.kind) {
    case Kind::And:
      return matches(prepared, store, record, *condition.children[0])
             && matches(prepared, store, record, *condition.children[1]);
    case Kind::Or:
      return matches(prepared, store, record, *condition.children[0])
             || matches(prepared, store, record, *condition.children[1]);
    case Kind::Not:
      return !matches(prepared, store, record, *condition.children[0]);
    default:
      break;
  }
  const ResolvedField& resolved = prepared.resolved.at(&condition.field);
  const Value* value = value_of(store, record, resolved);
  const bool null_value = value == nullptr || is_null(*value);
  if (condition.kind == Kind::Like) {
    if (null_value) return false;
    return like_match(lower(value_text(*resolved.field, *value)), lower(condition.values[0].text));
  }
  if (condition.kind == Kind::In || condition.kind == Kind::NotIn) {
    bool found = false;
    for (const auto& literal : condition.values) {
      if (literal.kind == Literal::Kind::Null) {
        found = found || null_value;
      } else if (!null_value) {
        found = found || compare(*resolved.field, *value, literal) == 0;
      }
    }
    return condition.kind == Kind::In ? found : !found;
  }
  const Literal& literal = condition.values[0];
  if (literal.kind == Literal::Kind::Null) {
    if (condition.op == "=") return null_value;
    if (condition.op == "!=") return !null_value;
    return false;
  }
  if (null_value) return condition.op == "!=";
  const int order = compare(*resolved.field, *value, literal);
  if (condition.op == "=") return order == 0;
  if (condition.op == "!=") return order != 0;
  if (condition.op == "<") return order < 0;
  if (condition.op == "<=") return order <= 0;
  if (condition.op == ">") return order > 0;
  return order >= 0;
}

int compare_values(const Value* a, const Value* b) {
  const bool a_null = a == nullptr || is_null(*a);
  const bool b_null = b == nullptr || is_null(*b);
  if (a_null || b_null) return (a_null ? 0 : 1) - (b_null ? 0 : 1);
  if (a->index() != b->index()) return static_cast<int>(a->index()) - static_cast<int>(b->index());
  if (const auto* x = std::get_if<bool>(a)) return (*x ? 1 : 0) - (std::get<bool>(*b) ? 1 : 0);
  if (const auto* x = std::get_if<double>(a)) {
    const double y = std::get<double>(*b);
    return *x < y ? -1 : (*x > y ? 1 : 0);
  }
  return lower(std::get<std::string>(*a)).compare(lower(std::get<std::string>(*b)));
}

}  // namespace

std::shared_ptr<const PreparedQuery> prepare(const Schema& schema, const std::string& statement) {
  auto prepared = std::make_shared<PreparedQuery>();
  prepared->statement = statement;
  prepared->query = parse(statement);
  prepared->object = schema.find(prepared->query.object);
  if (prepared->object == nullptr) {
    throw QueryError(
        "INVALID_TYPE",
        frame_error(statement, prepared->query.object_column,
                    "sObject type '" + prepared->query.object
                        + "' is not supported. If you are attempting to use a custom object, be "
                          "sure to append the '__c' after the entity name. Please reference "
                          "your WSDL or the describe call for the appropriate names."));
  }
  Resolver resolver(schema, *prepared);
  for (const auto& ref : prepared->query.fields) {
    const ResolvedField resolved = resolver.resolve(ref);
    if (resolved.reference == nullptr) {
      prepared->columns.push_back({resolved.field, nullptr, nullptr, {}});
      continue;
    }
    auto group = std::find_if(
        prepared->columns.begin(), prepared->columns.end(),
        [&](const OutputColumn& column) { return column.reference == resolved.reference; });
    if (group == prepared->columns.end()) {
      prepared->columns.push_back({nullptr, resolved.reference, resolved.parent, {}});
      group = std::prev(prepared->columns.end());
    }
    group->parent_fields.push_back(resolved.field);
  }
  if (prepared->query.where) resolver.resolve_condition(*prepared->query.where);
  for (const auto& item : prepared->query.order_by)
    resolver.resolve(item.field);
  return prepared;
}

std::vector<const Record*> execute(const PreparedQuery& prepared, RecordStore& store,
                                   bool include_deleted) {
  std::vector<const Record*> rows;
  for (const Record* record : store.records_of(*prepared.object)) {
    if (record->deleted && !include_deleted) continue;
    if (prepared.query.where && !matches(prepared, store, *record, *prepared.query.where)) continue;
    rows.push_back(record);
  }
  if (!prepared.query.order_by.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const Record* a, const Record* b) {
      for (const auto& item : prepared.query.order_by) {
        const ResolvedField& resolved = prepared.resolved.at(&item.field);
        const Value* x = value_of(store, *a, resolved);
        const Value* y = value_of(store, *b, resolved);
        const bool x_null = x == nullptr || is_null(*x);
        const bool y_null = y == nullptr || is_null(*y);
        if (x_null != y_null) return item.nulls_last ? y_null : x_null;
        int order = compare_values(x, y);
        if (item.descending) order = -order;
        if (order != 0) return order < 0;
      }
      return false;
    });
  }
  const std::size_t offset = std::min(prepared.query.offset.value_or(0), rows.size());
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(offset));
  if (prepared.query.limit && rows.size() > *prepared.query.limit)
    rows.resize(*prepared.query.limit);
  return rows;
}

void write_result_record(json::Writer& out, const PreparedQuery& prepared, RecordStore& store,
                         const Record& record, const std::string& api_version) {
  const auto attributes = [&](const Record& row) {
    out.key("attributes").begin_object();
    out.field("type", row.object->name);
    out.field("url",
              "/services/data/v" + api_version + "/sobjects/" + row.object->name + "/" + row.id);
    out.end_object();
  };
  out.begin_object();
  attributes(record);
  for (const auto& column : prepared.columns) {
    if (column.field != nullptr) {
      out.key(column.field->name);
      const Value* value = record.get(*column.field);
      value != nullptr ? write_value(out, *column.field, *value) : void(out.null());
      continue;
    }
    out.key(column.reference->relationship_name);
    const Value* parent_id = record.get(*column.reference);
    const Record* parent = parent_id != nullptr && std::holds_alternative<std::string>(*parent_id)
                               ? store.find(std::get<std::string>(*parent_id))
                               : nullptr;
    if (parent == nullptr || parent->deleted) {
      out.null();
      continue;
    }
    out.begin_object();
    attributes(*parent);
    for (const FieldDef* field : column.parent_fields) {
      out.key(field->name);
      const Value* value = parent->get(*field);
      value != nullptr ? write_value(out, *field, *value) : void(out.null());
    }
    out.end_object();
  }
  out.end_object();
}

}  // namespace sandbox::salesforce::soql
