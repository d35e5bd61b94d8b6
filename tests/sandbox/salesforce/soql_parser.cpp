// SOQL tokenizer and recursive-descent parser. Hand-written because no maintained C++ SOQL
// parser exists; the grammar is the subset in reference §3 (+ NOT, parentheses, OFFSET).
#include <cctype>
#include <cstdlib>

#include "salesforce/schema.hpp"
#include "salesforce/soql_ast.hpp"
#include "salesforce/values.hpp"

namespace sandbox::salesforce::soql {
namespace {

enum class TokenKind { Identifier, String, Number, Date, DateTime, Symbol, End };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;  // identifiers as written; strings unescaped; symbols as written
  std::size_t column = 0;
};

class Lexer {
 public:
  explicit Lexer(const std::string& statement) : text_(statement) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    for (;;) {
      while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0)
        ++pos_;
      if (pos_ >= text_.size()) {
        tokens.push_back({TokenKind::End, "", pos_ + 1});
        return tokens;
      }
      tokens.push_back(next());
    }
  }

 private:
  Token next() {
    const std::size_t start = pos_;
    const char c = text_[pos_];
    if (c == '\'') return string_literal();
    if (std::isdigit(static_cast<unsigned char>(c)) != 0
        || (c == '-' && pos_ + 1 < text_.size()
            && std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])) != 0)) {
      return number_or_date();
    }
    if (std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_') {
      while (pos_ < text_.size()
             && (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '_'
                 || text_[pos_] == '.')) {
        ++pos_;
      }
      return {TokenKind::Identifier, text_.substr(start, pos_ - start), start + 1};
    }
    for (const char* symbol : {"!=", "<>", "<=", ">=", "=", "<", ">", "(", ")", ","}) {
      const std::string_view candidate(symbol);
      if (std::string_view(text_).substr(pos_, candidate.size()) == candidate) {
        pos_ += candidate.size();
        return {TokenKind::Symbol, std::string(candidate), start + 1};
      }
    }
    throw QueryError("MALFORMED_QUERY",
                     frame_error(text_, start + 1, std::string("unexpected token: '") + c + "'"));
  }

  Token string_literal() {
    const std::size_t start = pos_++;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != '\'') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) break;
        const char escaped = text_[pos_++];
        switch (escaped) {
          case 'n':
          case 'N':
            c = '\n';
            break;
          case 'r':
          case 'R':
            c = '\r';
            break;
          case 't':
          case 'T':
            c = '\t';
            break;
          case 'b':
          case 'B':
            c = '\b';
            break;
          case 'f':
          case 'F':
            c = '\f';
            break;
          case '"':
          case '\'':
          case '\\':
            c = escaped;
            break;
          // Kept escaped so LIKE can tell a literal % or _ from a wildcard.
          case '%':
          case '_':
            value.push_back('\\');
            c = escaped;
            break;
          case 'u': {
            if (pos_ + 4 > text_.size()) throw invalid_escape(start);
            const unsigned long code = std::strtoul(text_.substr(pos_, 4).c_str(), nullptr, 16);
            pos_ += 4;
            append_utf8(value, code);
            continue;
          }
          default:
            throw invalid_escape(start);
        }
      }
      value.push_back(c);
    }
    if (pos_ >= text_.size()) {
      throw QueryError("MALFORMED_QUERY",
                       frame_error(text_, start + 1, "unterminated string literal"));
    }
    ++pos_;
    return {TokenKind::String, value, start + 1};
  }

  QueryError invalid_escape(std::size_t start) const {
    return QueryError("MALFORMED_QUERY",
                      frame_error(text_, start + 1,
                                  "Invalid string literal '" + text_.substr(start, pos_ - start)
                                      + "'. Illegal character sequence '\\' in string literal."));
  }

  static void append_utf8(std::string& out, unsigned long code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  Token number_or_date() {
    const std::size_t start = pos_;
    // A date starts with 4 digits and a dash; take the whole run of date/time characters.
    if (pos_ + 10 <= text_.size() && text_[pos_ + 4] == '-'
        && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0) {
      while (pos_ < text_.size()
             && (std::isalnum(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '-'
                 || text_[pos_] == ':' || text_[pos_] == '+' || text_[pos_] == '.')) {
        ++pos_;
      }
      const std::string raw = text_.substr(start, pos_ - start);
      if (raw.size() == 10) {
        if (const auto date = normalize_date(raw)) return {TokenKind::Date, *date, start + 1};
      } else if (const auto datetime = normalize_datetime(raw)) {
        return {TokenKind::DateTime, *datetime, start + 1};
      }
      throw QueryError("MALFORMED_QUERY",
                       frame_error(text_, start + 1,
                                   "line 1:" + std::to_string(start)
                                       + " no viable alternative at character '" + raw + "'"));
    }
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size()
           && (std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0 || text_[pos_] == '.')) {
      ++pos_;
    }
    return {TokenKind::Number, text_.substr(start, pos_ - start), start + 1};
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

bool keyword(const Token& token, std::string_view word) {
  return token.kind == TokenKind::Identifier && lower(token.text) == lower(word);
}

class Parser {
 public:
  explicit Parser(const std::string& statement)
      : statement_(statement), tokens_(Lexer(statement).run()) {}

  Query parse_query() {
    Query query;
    expect_keyword("SELECT");
    if (keyword(peek(), "COUNT") && peek(1).text == "(") {
      advance();
      advance();
      expect_symbol(")");
      query.count_only = true;
    } else {
      do {
        query.fields.push_back(field_ref());
      } while (accept_symbol(","));
    }
    expect_keyword("FROM");
    const Token& object = peek();
    if (object.kind != TokenKind::Identifier) unexpected(object);
    query.object = object.text;
    query.object_column = object.column;
    advance();
    if (accept_keyword("WHERE")) query.where = or_condition();
    if (accept_keyword("ORDER")) {
      expect_keyword("BY");
      do {
        OrderItem item;
        item.field = field_ref();
        if (accept_keyword("DESC")) {
          item.descending = true;
          item.nulls_last = true;
        } else {
          accept_keyword("ASC");
        }
        if (accept_keyword("NULLS")) {
          if (accept_keyword("LAST")) {
            item.nulls_last = true;
          } else {
            expect_keyword("FIRST");
            item.nulls_last = false;
          }
        }
        query.order_by.push_back(std::move(item));
      } while (accept_symbol(","));
    }
    if (accept_keyword("LIMIT")) query.limit = count();
    if (accept_keyword("OFFSET")) query.offset = count();
    if (peek().kind != TokenKind::End) unexpected(peek());
    return query;
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
  }
  void advance() {
    if (index_ + 1 < tokens_.size()) ++index_;
  }

  [[noreturn]] void unexpected(const Token& token) const {
    const std::string shown = token.kind == TokenKind::End ? "<EOF>" : token.text;
    throw QueryError("MALFORMED_QUERY",
                     frame_error(statement_, token.column, "unexpected token: '" + shown + "'"));
  }

  bool accept_keyword(std::string_view word) {
    if (!keyword(peek(), word)) return false;
    advance();
    return true;
  }
  void expect_keyword(std::string_view word) {
    if (!accept_keyword(word)) unexpected(peek());
  }
  bool accept_symbol(std::string_view symbol) {
    if (peek().kind != TokenKind::Symbol || peek().text != symbol) return false;
    advance();
    return true;
  }
  void expect_symbol(std::string_view symbol) {
    if (!accept_symbol(symbol)) unexpected(peek());
  }

  std::size_t count() {
    const Token& token = peek();
    if (token.kind != TokenKind::Number || token.text.find_first_of(".-") != std::string::npos)
      unexpected(token);
    advance();
    return static_cast<std::size_t>(std::strtoull(token.text.c_str(), nullptr, 10));
  }

  FieldRef field_ref() {
    const Token& token = peek();
    static constexpr std::string_view kReserved[] = {
        "FROM", "WHERE", "AND", "OR", "NOT", "SELECT", "ORDER", "LIMIT", "OFFSET", "IN", "LIKE"};
    if (token.kind != TokenKind::Identifier || token.text.front() == '.'
        || token.text.back() == '.') {
      unexpected(token);
    }
    for (const auto word : kReserved) {
      if (keyword(token, word)) unexpected(token);
    }
    FieldRef ref;
    ref.text = token.text;
    ref.column = token.column;
    std::size_t start = 0;
    for (;;) {
      const auto dot = token.text.find('.', start);
      ref.parts.push_back(token.text.substr(start, dot - start));
      if (ref.parts.back().empty()) unexpected(token);
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    advance();
    return ref;
  }

  std::unique_ptr<Condition> or_condition() {
    auto left = and_condition();
    while (accept_keyword("OR")) {
      auto node = std::make_unique<Condition>();
      node->kind = Condition::Kind::Or;
      node->children.push_back(std::move(left));
      node->children.push_back(and_condition());
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<Condition> and_condition() {
    auto left = unary_condition();
    while (accept_keyword("AND")) {
      auto node = std::make_unique<Condition>();
      node->kind = Condition::Kind::And;
      node->children.push_back(std::move(left));
      node->children.push_back(unary_condition());
      left = std::move(node);
    }
    return left;
  }

  std::unique_ptr<Condition> unary_condition() {
    if (accept_keyword("NOT")) {
      auto node = std::make_unique<Condition>();
      node->kind = Condition::Kind::Not;
      node->children.push_back(unary_condition());
      return node;
    }
    if (accept_symbol("(")) {
      auto inner = or_condition();
      expect_symbol(")");
      return inner;
    }
    return comparison();
  }

  std::unique_ptr<Condition> comparison() {
    auto node = std::make_unique<Condition>();
    node->field = field_ref();
    if (accept_keyword("NOT")) {
      expect_keyword("IN");
      node->kind = Condition::Kind::NotIn;
      node->values = literal_list();
    } else if (accept_keyword("IN")) {
      node->kind = Condition::Kind::In;
      node->values = literal_list();
    } else if (accept_keyword("LIKE")) {
      node->kind = Condition::Kind::Like;
      if (peek().kind != TokenKind::String) unexpected(peek());
      node->values.push_back(literal());
    } else {
      const Token& op = peek();
      static constexpr std::string_view kOperators[] = {"=", "!=", "<>", "<", "<=", ">", ">="};
      bool known = false;
      for (const auto candidate : kOperators)
        known = known || (op.kind == TokenKind::Symbol && op.text == candidate);
      if (!known) unexpected(op);
      node->op = op.text == "<>" ? "!=" : op.text;
      advance();
      node->values.push_back(literal());
    }
    return node;
  }

  std::vector<Literal> literal_list() {
    expect_symbol("(");
    std::vector<Literal> values;
    do {
      values.push_back(literal());
    } while (accept_symbol(","));
    expect_symbol(")");
    return values;
  }

  Literal literal() {
    const Token& token = peek();
    Literal value;
    switch (token.kind) {
      case TokenKind::String:
        value.kind = Literal::Kind::String;
        value.text = token.text;
        break;
      case TokenKind::Date:
        value.kind = Literal::Kind::Date;
        value.text = token.text;
        break;
      case TokenKind::DateTime:
        value.kind = Literal::Kind::DateTime;
        value.text = token.text;
        break;
      case TokenKind::Number:
        value.kind = Literal::Kind::Number;
        value.text = token.text;
        value.number = std::strtod(token.text.c_str(), nullptr);
        break;
      case TokenKind::Identifier:
        if (keyword(token, "null")) {
          value.kind = Literal::Kind::Null;
        } else if (keyword(token, "true") || keyword(token, "false")) {
          value.kind = Literal::Kind::Boolean;
          value.flag = keyword(token, "true");
        } else {
          unexpected(token);
        }
        break;
      default:
        unexpected(token);
    }
    advance();
    return value;
  }

  const std::string& statement_;
  std::vector<Token> tokens_;
  std::size_t index_ = 0;
};

}  // namespace

std::string frame_error(const std::string& statement, std::size_t column,
                        const std::string& detail) {
  return "\n" + statement + "\n" + std::string(column > 0 ? column - 1 : 0, ' ')
         + "^\nERROR at Row:1:Column:" + std::to_string(column) + "\n" + detail;
}

Query parse(const std::string& statement) {
  return Parser(statement).parse_query();
}

}  // namespace sandbox::salesforce::soql
