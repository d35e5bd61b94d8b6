// daemon/reconcile/match/nicknames.hpp — given-name variants (Bob/Robert, Liz/Elizabeth) for
// matching. The table is config/nicknames.txt, compiled into the binary so matching never
// depends on a file being present; an admin's own file can replace it.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostics/diagnostics.hpp"

namespace crmsync::reconcile {

class NicknameTable {
 public:
  // Parses the nicknames.txt format; problems go to `diags` with line numbers.
  static NicknameTable parse(std::string_view text, const std::string& file, Diagnostics& diags);
  // The table shipped in config/nicknames.txt.
  static const NicknameTable& builtin();

  // True when both names (already folded to lower-case ASCII) can be the same person's given
  // name: equal, or in one group ("bob" and "robert"; "chris" and "christina").
  bool same_person(std::string_view a, std::string_view b) const;

  std::size_t group_count() const noexcept { return group_count_; }

 private:
  // name -> the groups it belongs to ("chris" is in two). Keys view into `names_` (a deque: its
  // elements never move) so lookups take a string_view without allocating.
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, std::vector<int>> groups_;
  std::size_t group_count_ = 0;
};

}  // namespace crmsync::reconcile
