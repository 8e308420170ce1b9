-- 120_replay.sql: deterministic replay. Every step attempt records the outbound calls it
-- made (model calls, HTTP requests, tool calls, child runs, approvals) with their answers, in
-- "exchanges": [{kind, key, source, response}], "key" a SHA-256 of the request as sent
-- (credentials and trace headers left out), "source" recording or live, "response" the
-- answer (left out where the answer is the step's own output). A replay is a new execution
-- ("replay_of" the one it replays, trigger 'replay') whose steps are answered from those
-- recordings; "replay" holds how it was asked for ({from_node, offline, input_changed,
-- definition_changed}). Each of its steps says where its output came from in
-- "replay_source": reused (copied from the original: before the replayed part), recording
-- (re-run, every call answered from the recording), live (re-run, a call went out because
-- its request differed), computed (re-run, no outbound call).
ALTER TABLE execution_steps
	ADD COLUMN exchanges jsonb,
	ADD COLUMN replay_source text
		CHECK (replay_source IN ('reused', 'recording', 'live', 'computed'));

ALTER TABLE executions
	ADD COLUMN replay_of uuid REFERENCES executions(id) ON DELETE SET NULL,
	ADD COLUMN replay jsonb;

ALTER TABLE executions DROP CONSTRAINT executions_trigger_check;
ALTER TABLE executions ADD CONSTRAINT executions_trigger_check
	CHECK (trigger IN ('manual', 'api', 'webhook', 'schedule', 'tool', 'workflow', 'replay'));

-- The replays of an execution, newest first (its run view lists them).
CREATE INDEX executions_replay_of ON executions (replay_of, created_at) WHERE replay_of IS NOT NULL;
