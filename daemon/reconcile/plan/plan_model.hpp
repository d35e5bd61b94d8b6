// daemon/reconcile/plan/plan_model.hpp — what one cycle knows and decides: the source rows it
// read (with their identity across edits), the decision for each (create / update / unchanged /
// reject / review, with the evidence), and the CRM writes that carry the decisions out. The plan
// is what `crmsync plan --json` prints, what the outbox sends and what the reps' reports show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "connectors/crm.hpp"
#include "mappings/crm_record.hpp"

namespace crmsync::reconcile {

// One source row as the cycle read it (or, for an unchanged file, as the state store remembers it).
struct SourceRow {
  std::int64_t item_id = 0;  // source_items.id
  mappings::MappedRow mapped;
  std::string row_key;       // the mapping's `key:` values: identity across edits of the file
  std::string content_hash;  // of the mapped values: what changed since the last apply
  std::optional<std::string> linked_id;    // the CRM record an earlier sync linked it to
  std::optional<std::string> reviewed_id;  // a human accepted this CRM record for the row
  // For rows of unchanged files: what the last cycle decided, replayed as it was.
  std::string stored_status;
  std::string stored_reason;
  bool from_unchanged_file = false;  // not re-read: the file's content hash is as last synced
  bool review_rejected = false;      // a human said: none of the candidates
};

enum class RowAction { create, update, unchanged, reject, review };
std::string_view to_string(RowAction action) noexcept;

// Text a plan's field changes view that no row of the plan holds: the CRM's values, a value a
// decision made, a reason written for one row. Each distinct text is kept once, in a node that
// stays where it is as the set grows and as the plan moves. Not copied (the views would still
// name the original's text); filled from one thread at a time.
class PlanTexts {
 public:
  PlanTexts() = default;
  PlanTexts(const PlanTexts&) = delete;
  PlanTexts& operator=(const PlanTexts&) = delete;
  PlanTexts(PlanTexts&&) = default;
  PlanTexts& operator=(PlanTexts&&) = default;

  std::string_view keep(std::string_view text) { return *texts_.emplace(text).first; }

 private:
  std::unordered_set<std::string> texts_;
};

// A view of text the plan holds: a row's mapped field, a literal, or Plan::texts. A temporary
// string does not convert to it, so a field change cannot be left viewing freed text.
struct PlanText : std::string_view {
  PlanText() = default;
  PlanText(std::string_view text) : std::string_view(text) {}
  PlanText(const char* text) : std::string_view(text) {}
  PlanText(const std::string& text) : std::string_view(text) {}
  PlanText(std::string&&) = delete;
};

// What was decided for one field: the plan document says "write", "keep" or "unchanged".
enum class FieldAction : std::uint8_t { write, keep, unchanged };
std::string_view to_string(FieldAction action) noexcept;

// One field of a row's decision: what the CRM had, what the rep's file says, what was decided.
// Views, not copies: a 100k-row first sync has 500k of them, which as strings were 90 MB. The
// rows a plan views are not changed once it is made. 80 bytes: the decision as text was 16 more,
// 8 MB of a 100k-row first sync's plan.
struct FieldChange {
  PlanText field;
  std::optional<PlanText> old_value;
  PlanText new_value;
  FieldAction decision = FieldAction::write;
  mappings::ConflictPolicy policy = mappings::ConflictPolicy::fill_empty;
  PlanText reason;
};

struct RowPlan {
  RowAction action = RowAction::unchanged;
  std::string crm_id;   // updates and unchanged: the matched record; creates: once created
  std::string cluster;  // creates: rows that become the same new record share it
  std::string reason;   // rejects and reviews, and notes on creates/updates
  std::string match;    // how: linked, reviewed, external_id, email, phone, fuzzy, review, none
  double score = 0;
  std::vector<std::string> evidence;
  std::vector<std::string> candidates;  // review: the CRM records a human chooses between
  std::vector<FieldChange> fields;
  std::optional<std::size_t> operation;  // index into Plan::operations when it writes
};

// A row an earlier cycle recorded that is gone from its re-read file (the rep deleted it), and
// what the source's `removed_rows` policy does about it. The CRM record is never deleted.
struct RemovedRow {
  enum class Action { ignore, flag, unlink };
  std::int64_t item_id = 0;
  std::string object;  // source_rows.object
  std::string row_key;
  std::string crm_id;  // the record it was linked to (rows never linked are not "removed")
  Provenance from;
  Action action = Action::ignore;
  std::string flag_field, note;          // flag: the field and the note written to it
  std::optional<std::size_t> operation;  // flag: index into Plan::operations
  std::string outcome;                   // after the apply: "flagged", or why not
};
std::string_view to_string(RemovedRow::Action action) noexcept;

// One write to the CRM, and the rows it answers for.
struct PlannedOperation {
  CrmOperation op;
  std::vector<std::size_t> rows;     // indexes into the rows; the first is the one credited
  std::vector<std::size_t> removed;  // flag writes: indexes into Plan::removed
  // A Contact create whose Account is created in the same cycle: the company key of that Account
  // (its id is filled in once the Account exists).
  std::string pending_account_key;
  std::string
      idempotency_key;  // names the operation in the outbox; unique per run (it has the run id)
};

struct Plan {
  std::vector<SourceRow> rows;
  std::vector<RowPlan> decisions;  // one per row, same order
  PlanTexts texts;                 // what the decisions' field changes view beside the rows
  // In the order they must be sent: Account creates first, then Contact creates and updates.
  std::vector<PlannedOperation> operations;
  std::int64_t skipped_rows = 0;  // notes, totals, blank lines: not records
  std::vector<RemovedRow> removed;
  // Rows of unchanged files that stay unchanged, counted but not listed in `rows` when nothing
  // prints them (the service's cycles): an unchanged inbox then costs a count per file. Their
  // links stay in the state store, where the removed-rows check asks for them.
  std::int64_t unchanged_unlisted = 0;
  std::vector<std::int64_t> unlisted_items;  // source_items ids whose unchanged rows are counted
  // Mirrored files gone from the inbox with nothing linked left to settle: recorded as deleted
  // when a sync records its cycle, never by a dry run.
  std::vector<std::int64_t> deleted_items;
};

}  // namespace crmsync::reconcile
