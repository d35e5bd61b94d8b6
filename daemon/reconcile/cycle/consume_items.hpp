// daemon/reconcile/cycle/consume_items.hpp — `mode: consume`: once a file's rows are all settled
// it moves to <rep>/processed/; a file that could not be read at all moves to <rep>/failed/ with
// its report beside it. Files with rows still pending or under review stay where they are.
#pragma once

#include <vector>

#include "connectors/folder/folder_settings.hpp"
#include "daemon/reconcile/cycle/folder_items.hpp"
#include "daemon/reconcile/plan/plan_model.hpp"

namespace crmsync::state {
class StateStore;
}

namespace crmsync::reconcile {

// Returns how many files were moved; a file that cannot be moved is logged and left in place.
int consume_items(const folder::FolderSettings& settings, const std::vector<SourceItem>& items,
                  state::StateStore& store);

}  // namespace crmsync::reconcile
