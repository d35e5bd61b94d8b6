#include "daemon/reconcile/match/nicknames.hpp"

#include <algorithm>
#include <cctype>

namespace crmsync::reconcile {

extern const char* const kBuiltinNicknames;  // generated from config/nicknames.txt

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

NicknameTable NicknameTable::parse(std::string_view text, const std::string& file,
                                   Diagnostics& diags) {
  NicknameTable table;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      diags.error({file, line_number, 1, static_cast<int>(line.size())},
                  "a nickname line needs 'name: variant, variant'");
      continue;
    }
    const int group = static_cast<int>(table.group_count_++);
    auto add = [&](std::string_view name) {
      name = trim(name);
      if (name.empty()) return;
      auto folded = lower(name);
      auto found = table.groups_.find(folded);
      if (found == table.groups_.end()) {
        table.names_.push_back(std::move(folded));
        found = table.groups_.emplace(table.names_.back(), std::vector<int>{}).first;
      }
      auto& groups = found->second;
      if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    };
    add(line.substr(0, colon));
    std::string_view rest = line.substr(colon + 1);
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      add(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  return table;
}

const NicknameTable& NicknameTable::builtin() {
  static const NicknameTable table = [] {
    Diagnostics diags;
    return parse(kBuiltinNicknames, "config/nicknames.txt", diags);
  }();
  return table;
}

bool NicknameTable::same_person(std::string_view a, std::string_view b) const {
  if (a == b) return !a.empty();
  const auto left = groups_.find(a);
  const auto right = groups_.find(b);
  if (left == groups_.end() || right == groups_.end()) return false;
  for (const int group : left->second)
    if (std::find(right->second.begin(), right->second.end(), group) != right->second.end())
      return true;
  return false;
}

}  // namespace crmsync::reconcile
