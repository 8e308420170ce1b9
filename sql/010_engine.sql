-- 010_engine.sql: what the workflow engine (jobd) needs beyond the core model: the lease that
-- says which worker runs an execution and until when, and when it was last put on the queue.

-- lease_owner: the worker (unique per process run) holding the execution; '' once its
-- cancellation was settled. lease_expires_at: renewed every third of a lease; past it,
-- another worker may claim the execution and resume it.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS lease_owner text;
ALTER TABLE executions ADD COLUMN IF NOT EXISTS lease_expires_at timestamptz;
-- enqueued_at: set by jobd's sweeper when it re-enqueues an execution the queue lost.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS enqueued_at timestamptz;

-- The sweeper's scan: only unfinished executions.
CREATE INDEX IF NOT EXISTS executions_unfinished ON executions (created_at)
	WHERE status IN ('queued', 'running');
-- Resuming reads a run's steps by execution and node.
CREATE INDEX IF NOT EXISTS execution_steps_node ON execution_steps (execution_id, node_id, attempt DESC);
