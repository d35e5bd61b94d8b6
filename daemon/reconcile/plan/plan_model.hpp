// daemon/reconcile/plan/plan_model.hpp — what one cycle knows and decides: the source rows it
// read (with their identity across edits), the decision for each (create / update / unchanged /
// reject / review, with the evidence), and the CRM writes that carry the decisions out. The plan
// is what `crmsync plan --json` prints, what the outbox sends and what the reps' reports show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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
  std::optional<std::string> linked_id;     // the CRM record an earlier sync linked it to
  std::optional<std::string> applied_hash;  // content_hash when it was last applied
  bool from_unchanged_file = false;        // not re-read: the file's content hash is as last synced
  std::optional<std::string> reviewed_id;  // a human accepted this CRM record for the row
  bool review_rejected = false;            // a human said: none of the candidates
  // For rows of unchanged files: what the last cycle decided, replayed as it was.
  std::string stored_status;
  std::string stored_reason;
};

enum class RowAction { create, update, unchanged, reject, review };
std::string_view to_string(RowAction action) noexcept;

// One field of a row's decision: what the CRM had, what the rep's file says, what was decided.
struct FieldChange {
  std::string field;
  std::optional<std::string> old_value;
  std::string new_value;
  // "write", "keep" or "unchanged": always one of these literals, so a view (16 bytes less a
  // field, and 500k fields in a 100k-row first sync).
  std::string_view decision;
  std::string reason;
  mappings::ConflictPolicy policy = mappings::ConflictPolicy::fill_empty;
};

struct RowPlan {
  RowAction action = RowAction::unchanged;
  std::string crm_id;   // updates and unchanged: the matched record; creates: once created
  std::string cluster;  // creates: rows that become the same new record share it
  std::string reason;   // rejects and reviews, and notes on creates/updates
  std::string match;    // how it was matched: linked, email, phone, fuzzy, review, none
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
  std::string cluster;               // creates
  // A Contact create whose Account is created in the same cycle: the company key of that Account
  // (its id is filled in once the Account exists).
  std::string pending_account_key;
  std::string
      idempotency_key;  // names the operation in the outbox; unique per run (it has the run id)
};

struct Plan {
  std::vector<SourceRow> rows;
  std::vector<RowPlan> decisions;  // one per row, same order
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
