-- 030_open_executions.sql: index unfinished executions by end_time instead of status, and
-- drop the (status, created_at) index.
--
-- The engine claims and settles executions by primary key with a status guard
-- ("WHERE id = ANY($1) AND status = 'running'"). With an index whose key or predicate was
-- status, the planner preferred it to the primary key: it walks every index entry of that
-- status left since the last vacuum (one per execution run meanwhile), so each claim and
-- each settle grew with the table's recent history. Every status change also had to add
-- an entry to both indexes. end_time is NULL exactly while an execution is queued or
-- running (every terminal transition sets it, a retry clears it), so the sweeper's scan
-- keeps its index and the status-guarded statements use the primary key. Listing
-- executions by status walks the created_at indexes and filters.
DROP INDEX IF EXISTS executions_status;
DROP INDEX IF EXISTS executions_unfinished;
CREATE INDEX IF NOT EXISTS executions_open ON executions (created_at) WHERE end_time IS NULL;

-- The primary key (execution_id, node_id, attempt) already serves "the steps of one node,
-- latest attempt first" (scanned backwards); a second index of the same columns doubled
-- the index work of every step row.
DROP INDEX IF EXISTS execution_steps_node;

-- Room on each page for the new version of a row: a claim changes no indexed column, so
-- with free space on the page PostgreSQL updates it in place (HOT) without index entries.
ALTER TABLE executions SET (fillfactor = 80);
