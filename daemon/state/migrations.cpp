#include "daemon/state/migrations.hpp"

namespace crmsync::state {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, "source items and rows, links, CRM index, watermarks, runs",
       R"sql(
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('plan', 'sync')),
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'parked')),
  summary_json  TEXT
);
-- One file (or Graph contact folder) of one rep, as last seen.
CREATE TABLE source_items (
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  owner         TEXT NOT NULL,
  path          TEXT NOT NULL,
  content_hash  TEXT,
  size          INTEGER,
  mtime_ms      INTEGER,
  status        TEXT NOT NULL,
  error         TEXT,
  last_run      INTEGER REFERENCES runs(id),
  UNIQUE (source, owner, path)
);
-- A row's identity (the mapping's key) across edits of its file, and the CRM record it became.
CREATE TABLE source_rows (
  item_id       INTEGER NOT NULL REFERENCES source_items(id) ON DELETE CASCADE,
  object        TEXT NOT NULL,
  row_key       TEXT NOT NULL,
  content_hash  TEXT NOT NULL,
  applied_hash  TEXT,
  crm_id        TEXT,
  sheet         TEXT NOT NULL DEFAULT '',
  row_number    INTEGER NOT NULL,
  status        TEXT NOT NULL,
  last_seen_run INTEGER REFERENCES runs(id),
  PRIMARY KEY (item_id, object, row_key)
);
CREATE INDEX source_rows_by_crm_id ON source_rows (crm_id);
-- What crmsync knows of the CRM's records: match keys and the fields diffs need.
CREATE TABLE crm_index (
  object        TEXT NOT NULL,
  crm_id        TEXT NOT NULL,
  owner_id      TEXT,
  modstamp      TEXT NOT NULL,
  is_deleted    INTEGER NOT NULL DEFAULT 0,
  fields_json   TEXT NOT NULL,
  PRIMARY KEY (object, crm_id)
) WITHOUT ROWID;
CREATE TABLE watermarks (
  object        TEXT PRIMARY KEY,
  modstamp      TEXT NOT NULL,
  refreshed_at  TEXT NOT NULL
);
)sql"},
      {2, "outbox, audit, review queue and clusters",
       R"sql(
-- Every write is recorded here before it is sent, so a crash can be reconciled, not repeated.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES runs(id),
  object          TEXT NOT NULL,
  operation       TEXT NOT NULL CHECK (operation IN ('create', 'update')),
  idempotency_key TEXT NOT NULL UNIQUE,
  crm_id          TEXT,
  payload_json    TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  result_json     TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
CREATE INDEX outbox_by_state ON outbox (state);
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id),
  at          TEXT NOT NULL,
  object      TEXT NOT NULL,
  crm_id      TEXT NOT NULL,
  field       TEXT NOT NULL,
  old_value   TEXT,
  new_value   TEXT,
  policy      TEXT NOT NULL,
  rep         TEXT NOT NULL,
  file        TEXT NOT NULL,
  sheet       TEXT NOT NULL DEFAULT '',
  row_number  INTEGER NOT NULL
);
CREATE INDEX audit_by_crm_id ON audit (object, crm_id);
CREATE TABLE review_queue (
  id              INTEGER PRIMARY KEY,
  created_run     INTEGER NOT NULL REFERENCES runs(id),
  object          TEXT NOT NULL,
  item_id         INTEGER REFERENCES source_items(id) ON DELETE CASCADE,
  row_key         TEXT NOT NULL,
  candidates_json TEXT NOT NULL,
  evidence_json   TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'rejected')),
  decided_at      TEXT,
  decided_crm_id  TEXT
);
CREATE INDEX review_by_state ON review_queue (state);
-- Rows that are the same new person become one record: a cluster, later linked to its CRM id.
CREATE TABLE clusters (
  id           TEXT PRIMARY KEY,
  object       TEXT NOT NULL,
  crm_id       TEXT,
  created_run  INTEGER REFERENCES runs(id)
);
CREATE TABLE cluster_members (
  cluster_id  TEXT NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
  item_id     INTEGER NOT NULL REFERENCES source_items(id) ON DELETE CASCADE,
  object      TEXT NOT NULL,
  row_key     TEXT NOT NULL,
  PRIMARY KEY (cluster_id, item_id, object, row_key)
);
)sql"},
      {3, "why a row ended as it did, replayed for files that did not change",
       R"sql(
ALTER TABLE source_rows ADD COLUMN reason TEXT;
CREATE INDEX review_by_row ON review_queue (item_id, object, row_key);
CREATE INDEX outbox_by_run ON outbox (run_id, state);
)sql"},
      {4, "what a file was read with (mapping, rep region, crmsync version): a change re-reads it",
       R"sql(
ALTER TABLE source_items ADD COLUMN read_with TEXT;
)sql"},
      {5, "an unchanged file's rows replay in file order without a sort, or are counted",
       R"sql(
CREATE INDEX source_rows_in_file_order ON source_rows (item_id, sheet, row_number, status);
)sql"},
      {6, "the outbox indexes only operations that are not done (queries say state != 'done')",
       R"sql(
DROP INDEX outbox_by_state;
DROP INDEX outbox_by_run;
CREATE INDEX outbox_unsettled ON outbox (state) WHERE state != 'done';
)sql"},
      {7,
       "one audit row per record written, its fields as JSON; the audit view lists them a field "
       "per row",
       R"sql(
-- A 100k-row first sync wrote half a million audit rows, a field each, and spent more time on
-- them than on anything else. changes_json: [[field, old, new, policy], ...].
CREATE TABLE audit_records (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id),
  at           TEXT NOT NULL,
  object       TEXT NOT NULL,
  crm_id       TEXT NOT NULL,
  changes_json TEXT NOT NULL,
  rep          TEXT NOT NULL,
  file         TEXT NOT NULL,
  sheet        TEXT NOT NULL DEFAULT '',
  row_number   INTEGER NOT NULL
);
INSERT INTO audit_records (run_id, at, object, crm_id, changes_json, rep, file, sheet, row_number)
  SELECT run_id, at, object, crm_id, json_array(json_array(field, old_value, new_value, policy)),
         rep, file, sheet, row_number
  FROM audit ORDER BY id;
DROP TABLE audit;
CREATE INDEX audit_records_by_crm_id ON audit_records (object, crm_id);
CREATE VIEW audit AS
  SELECT r.id AS record_id, r.run_id, r.at, r.object, r.crm_id,
         c.value ->> 0 AS field, c.value ->> 1 AS old_value, c.value ->> 2 AS new_value,
         c.value ->> 3 AS policy, r.rep, r.file, r.sheet, r.row_number
  FROM audit_records AS r, json_each(r.changes_json) AS c;
)sql"},
      {8, "the outbox's idempotency keys are no longer a unique index",
       R"sql(
-- Keys are unique per run by construction (the planner makes one per row key, cluster or
-- record, with the run id). As a unique index on random text they cost a 100k-operation sync
-- more than its inserts did. The table is rebuilt without the constraint (SQLite cannot drop it).
CREATE TABLE outbox_rebuilt (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES runs(id),
  object          TEXT NOT NULL,
  operation       TEXT NOT NULL CHECK (operation IN ('create', 'update')),
  idempotency_key TEXT NOT NULL,
  crm_id          TEXT,
  payload_json    TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  result_json     TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);
INSERT INTO outbox_rebuilt SELECT id, run_id, object, operation, idempotency_key, crm_id,
  payload_json, state, attempts, result_json, created_at, updated_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_unsettled ON outbox (state) WHERE state != 'done';
)sql"},
      {9, "a file's rows are one record (its row set) instead of a table row each",
       R"sql(
-- A first sync of a 100k-row file spent 1.6 s inserting source_rows and their three indexes;
-- every query asked for the rows of one file anyway. Part 0 holds a file's rows in file order
-- as the last cycle left them; parts 1.. the rows each chunk of CRM results changed since, in
-- order (daemon/state/source_row_sets.hpp). rows_json: [[object, row_key, content_hash,
-- applied_hash, crm_id, sheet, row_number, status, last_seen_run, reason], ...]; listed_json the
-- same of its rows rejected or in review, which an unchanged file replays without the others.
CREATE TABLE source_row_sets (
  id            INTEGER PRIMARY KEY,
  item_id       INTEGER NOT NULL REFERENCES source_items(id) ON DELETE CASCADE,
  part          INTEGER NOT NULL,
  settled_rows  INTEGER NOT NULL DEFAULT 0,
  rows_json     TEXT NOT NULL,
  listed_json   TEXT NOT NULL DEFAULT '[]',
  UNIQUE (item_id, part)
);
INSERT INTO source_row_sets (item_id, part, settled_rows, rows_json, listed_json)
  SELECT item_id, 0, sum(status NOT IN ('removed', 'rejected', 'review')),
         json_group_array(json_array(object, row_key, content_hash, applied_hash, crm_id, sheet,
                                     row_number, status, last_seen_run, coalesce(reason, ''))),
         json_group_array(json_array(object, row_key, content_hash, applied_hash, crm_id, sheet,
                                     row_number, status, last_seen_run, coalesce(reason, '')))
           FILTER (WHERE status IN ('rejected', 'review'))
  FROM (SELECT * FROM source_rows ORDER BY item_id, sheet, row_number)
  GROUP BY item_id;
-- The review list showed a row's place from source_rows; a review now keeps it.
ALTER TABLE review_queue ADD COLUMN sheet TEXT NOT NULL DEFAULT '';
ALTER TABLE review_queue ADD COLUMN row_number INTEGER NOT NULL DEFAULT 0;
UPDATE review_queue SET
  sheet = coalesce((SELECT r.sheet FROM source_rows r WHERE r.item_id = review_queue.item_id
                    AND r.object = review_queue.object AND r.row_key = review_queue.row_key), ''),
  row_number = coalesce((SELECT r.row_number FROM source_rows r
                         WHERE r.item_id = review_queue.item_id AND r.object = review_queue.object
                         AND r.row_key = review_queue.row_key), 0);
DROP TABLE source_rows;
-- For a look with the sqlite3 shell: a row per stored row and part (a row changed by a chunk
-- after its file's last cycle shows in both parts; the higher part is the current one).
CREATE VIEW source_rows AS
  SELECT s.item_id, s.part, r.value ->> 0 AS object, r.value ->> 1 AS row_key,
         r.value ->> 2 AS content_hash, r.value ->> 3 AS applied_hash, r.value ->> 4 AS crm_id,
         r.value ->> 5 AS sheet, r.value ->> 6 AS row_number, r.value ->> 7 AS status,
         r.value ->> 8 AS last_seen_run, r.value ->> 9 AS reason
  FROM source_row_sets AS s, json_each(s.rows_json) AS r;
)sql"},
      {10, "the audit is indexed by record id alone",
       R"sql(
-- A record's id names it in its CRM whatever its object (a Salesforce id's prefix is the object,
-- a Dataverse id a GUID): the object before it made every key longer and every insert compare
-- two columns. 100k audit records were inserted 35 ms faster (the persist step of a first sync
-- waits for them). A lookup by object and id still finds the record by its id.
DROP INDEX audit_records_by_crm_id;
CREATE INDEX audit_records_by_record ON audit_records (crm_id);
)sql"},
      {11, "the CRM index remembers which fields it holds: a mapping that adds one reloads it",
       R"sql(
-- Records unchanged since the watermark are not queried again, so a field a mapping adds would
-- stay unknown for them, and an unknown value reads as empty (fill_empty would write over it).
-- '' names no field: an index kept before this is reloaded once.
ALTER TABLE watermarks ADD COLUMN fields TEXT NOT NULL DEFAULT '';
)sql"},
  };
  return all;
}

}  // namespace crmsync::state
