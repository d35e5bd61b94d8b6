// The parsed form of a SOQL statement (the subset reference §3 and §11.5 call for).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sandbox::salesforce::soql {

// A SOQL error as the REST API reports it: errorCode + message (MALFORMED_QUERY, INVALID_FIELD,
// INVALID_TYPE). The message already carries the "ERROR at Row:1:Column:N" framing.
class QueryError : public std::runtime_error {
 public:
  QueryError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  [[nodiscard]] const std::string& code() const { return code_; }

 private:
  std::string code_;
};

struct FieldRef {
  std::string text;                // as written: "Account.Name"
  std::vector<std::string> parts;  // {"Account", "Name"}
  std::size_t column = 0;          // 1-based position in the statement
};

struct Literal {
  enum class Kind { Null, Boolean, Number, String, Date, DateTime };
  Kind kind = Kind::Null;
  std::string text;  // strings unescaped; dates/datetimes in canonical form
  double number = 0;
  bool flag = false;
};

struct Condition {
  enum class Kind { And, Or, Not, Compare, In, NotIn, Like };
  Kind kind = Kind::Compare;
  std::vector<std::unique_ptr<Condition>> children;  // And/Or: two; Not: one
  FieldRef field;
  std::string op;  // for Compare: = != < <= > >=
  std::vector<Literal> values;
};

struct OrderItem {
  FieldRef field;
  bool descending = false;
  bool nulls_last = false;
};

struct Query {
  bool count_only = false;  // SELECT COUNT()
  std::vector<FieldRef> fields;
  std::string object;
  std::size_t object_column = 0;
  std::unique_ptr<Condition> where;
  std::vector<OrderItem> order_by;
  std::optional<std::size_t> limit;
  std::optional<std::size_t> offset;
};

// Parses a statement; throws QueryError(MALFORMED_QUERY) with the real message framing.
Query parse(const std::string& statement);

// "\n<statement>\n<spaces>^\nERROR at Row:1:Column:N\n<detail>", as Salesforce frames SOQL errors.
std::string frame_error(const std::string& statement, std::size_t column,
                        const std::string& detail);

}  // namespace sandbox::salesforce::soql
