#include "connectors/folder/report/report_row.hpp"

namespace crmsync::folder {

std::string_view to_string(ReportStatus status) noexcept {
  switch (status) {
    case ReportStatus::created:
      return "created";
    case ReportStatus::updated:
      return "updated";
    case ReportStatus::unchanged:
      return "unchanged";
    case ReportStatus::rejected:
      return "rejected";
    case ReportStatus::needs_review:
      return "needs review";
  }
  return "unknown";
}

}  // namespace crmsync::folder
