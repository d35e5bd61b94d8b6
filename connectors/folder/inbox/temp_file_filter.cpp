#include "connectors/folder/inbox/temp_file_filter.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace crmsync::folder {
namespace {

bool ends_with_ci(std::string_view name, std::string_view suffix) noexcept {
  if (name.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), name.end() - static_cast<long>(suffix.size()),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a))
                             == std::tolower(static_cast<unsigned char>(b));
                    });
}

bool equals_ci(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && ends_with_ci(a, b);
}

struct SuffixRule {
  std::string_view suffix;
  std::string_view reason;
};

// Partial downloads and copies: the real name appears only when the transfer completes.
constexpr std::array kPartialSuffixes = {
    SuffixRule{".tmp", "temporary file"},
    SuffixRule{".temp", "temporary file"},
    SuffixRule{".crdownload", "download in progress (Chrome)"},
    SuffixRule{".part", "download in progress (Firefox)"},
    SuffixRule{".partial", "download in progress"},
    SuffixRule{".download", "download in progress (Safari)"},
    SuffixRule{".filepart", "upload in progress (WinSCP)"},
    SuffixRule{"~", "editor backup file"},
};

}  // namespace

std::optional<std::string_view> temporary_file_reason(std::string_view name) noexcept {
  if (name.starts_with("~$")) return "Excel lock file";
  if (name.starts_with(".~lock.")) return "LibreOffice lock file";
  // Dotfiles include rsync's and many uploaders' in-flight names (".file.xlsx.AbC123").
  if (name.starts_with(".")) return "hidden file";
  if (equals_ci(name, "Thumbs.db") || equals_ci(name, "desktop.ini")) return "Windows system file";
  for (const auto& rule : kPartialSuffixes) {
    if (ends_with_ci(name, rule.suffix)) return rule.reason;
  }
  return std::nullopt;
}

}  // namespace crmsync::folder
