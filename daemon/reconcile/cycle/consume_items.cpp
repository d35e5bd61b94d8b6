#include "daemon/reconcile/cycle/consume_items.hpp"

#include <spdlog/spdlog.h>

#include "connectors/folder/inbox/consume_mover.hpp"
#include "connectors/folder/inbox/file_name.hpp"
#include "connectors/folder/report/report_files.hpp"
#include "core/error.hpp"
#include "daemon/state/state_store.hpp"

namespace crmsync::reconcile {

int consume_items(const folder::FolderSettings& settings, const std::vector<SourceItem>& items,
                  state::StateStore& store) {
  folder::InboxOptions options;
  options.root = settings.path;
  options.max_file_bytes = static_cast<std::uint64_t>(settings.max_file_mib) << 20;
  int moved = 0;
  for (const auto& item : items) {
    if (item.unchanged || item.source != settings.name) continue;
    auto status = store.connection().prepare("SELECT status FROM source_items WHERE id = ?");
    status.bind(1, item.item_id);
    if (!status.step()) continue;
    const auto state = status.text(0);
    if (state != "synced" && state != "failed") continue;
    const auto destination = state == "synced" ? folder::ConsumeDestination::processed
                                               : folder::ConsumeDestination::failed;
    try {
      const auto now_at = folder::move_consumed_file(options, item.file, destination);
      ++moved;
      if (destination == folder::ConsumeDestination::failed) {
        folder::ReportRow row;
        row.status = folder::ReportStatus::rejected;
        row.reason = "the file could not be read: " + item.error;
        const std::vector<folder::ReportRow> rows{row};
        const auto name = now_at.substr(now_at.find('/') + 1);
        folder::write_report_files(settings.path, item.rep, name, rows,
                                   folder::ReportFolder::failed);
      }
      // The file is gone from the inbox; its rows' links stay for the CRM records they made.
      auto forget = store.connection().prepare(
          "UPDATE source_items SET status = 'consumed', path = ? WHERE id = ?");
      forget.bind(1, now_at).bind(2, item.item_id).run();
    } catch (const Error& e) {
      spdlog::warn("inbox {}: could not move {}: {}", settings.name,
                   folder::escape_for_log(item.file.key()), e.what());
    }
  }
  return moved;
}

}  // namespace crmsync::reconcile
