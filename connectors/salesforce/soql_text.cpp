#include "connectors/salesforce/soql_text.hpp"

#include <fmt/format.h>

#include <cctype>

namespace crmsync::salesforce {
namespace {

std::string escape(std::string_view value, bool like) {
  std::string out = "'";
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '%':
        out += like ? "\\%" : "%";
        break;
      case '_':
        out += like ? "\\_" : "_";
        break;
      default:
        out += c;
    }
  }
  return out + "'";
}

bool unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'
         || c == '~';
}

std::size_t encoded_size(std::string_view text) {
  std::size_t size = 0;
  for (const char c : text)
    size += unreserved(c) ? 1 : 3;
  return size;
}

}  // namespace

std::string soql_string(std::string_view value) {
  return escape(value, false);
}
std::string soql_like_string(std::string_view value) {
  return escape(value, true);
}

std::string url_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (unreserved(c)) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::vector<std::string> soql_in_lists(const std::vector<std::string>& values,
                                       std::string_view prefix, std::string_view suffix,
                                       std::size_t max_url_bytes) {
  std::vector<std::string> lists;
  const std::size_t fixed = encoded_size(prefix) + encoded_size(suffix) + 2 * 3;  // ( and )
  std::string current;
  std::size_t current_size = fixed;
  for (const auto& value : values) {
    const std::string literal = soql_string(value);
    const std::size_t added = encoded_size(literal) + (current.empty() ? 0 : 3);  // ","
    if (!current.empty() && current_size + added > max_url_bytes) {
      lists.push_back("(" + current + ")");
      current.clear();
      current_size = fixed;
    }
    current += (current.empty() ? "" : ",") + literal;
    current_size += encoded_size(literal) + (current.size() > literal.size() ? 3 : 0);
  }
  if (!current.empty()) lists.push_back("(" + current + ")");
  return lists;
}

}  // namespace crmsync::salesforce
