-- 100_approvals.sql: durable human approvals (the approval node type, jobd/nodes/approval.c).
--
-- A run that reaches an approval node records the request here, ends its attempt with the
-- execution status 'waiting' and the step status 'waiting' (no worker, lease or queue entry
-- is held), and is queued again when someone answers (shared/approval.c): the answer becomes
-- the step's output, so the resumed run reuses it and never asks again.
ALTER TABLE executions DROP CONSTRAINT IF EXISTS executions_status_check;
ALTER TABLE executions ADD CONSTRAINT executions_status_check
	CHECK (status IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE execution_steps DROP CONSTRAINT IF EXISTS execution_steps_status_check;
ALTER TABLE execution_steps ADD CONSTRAINT execution_steps_status_check
	CHECK (status IN ('running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled'));

-- One request per node of an execution. Who may answer: "role" (users of that role), or
-- "user_id" (that user), or neither (the execution's owner); admins always may. "deadline":
-- past it, jobd's sweeper answers "rejected" with the comment "deadline passed" (answered_by
-- NULL). "input" is what the node received: what the approvers are asked about.
CREATE TABLE approvals (
	execution_id	uuid NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
	node_id		text NOT NULL,
	role		text CHECK (role IN ('admin', 'editor', 'viewer')),
	user_id		uuid REFERENCES users(id) ON DELETE SET NULL,
	message		text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
	input		jsonb,
	deadline	timestamptz,
	state		text NOT NULL DEFAULT 'pending'
			CHECK (state IN ('pending', 'approved', 'rejected')),
	answered_by	uuid REFERENCES users(id) ON DELETE SET NULL,
	comment		text NOT NULL DEFAULT '' CHECK (length(comment) <= 4000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	answered_at	timestamptz,
	PRIMARY KEY (execution_id, node_id)
);
-- The pending list (GET /approvals, the navigation's badge) and the sweeper's deadlines.
CREATE INDEX approvals_pending ON approvals (created_at DESC, execution_id, node_id)
	WHERE state = 'pending';
CREATE INDEX approvals_deadline ON approvals (deadline) WHERE state = 'pending' AND
	deadline IS NOT NULL;

-- A waiting run that is cancelled counts as ended in the usage rollups too (085_usage.sql).
CREATE OR REPLACE FUNCTION usage_runs_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM usage_count_runs(array_agg(ROW(date_trunc('hour', COALESCE(n.end_time, now())),
	    COALESCE(n.owner_id, '00000000-0000-0000-0000-000000000000'), n.workflow_id,
	    n.status, usage_ms(n.start_time, n.end_time))::usage_run))
	FROM new_rows n JOIN old_rows o ON o.id = n.id
	WHERE o.status IN ('queued', 'running', 'waiting') AND
	    n.status IN ('succeeded', 'failed', 'cancelled')
	HAVING count(*) > 0;
	RETURN NULL;
END
$$;
