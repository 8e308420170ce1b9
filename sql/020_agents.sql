-- 020_agents.sql: what the agent runtime needs: chat executions (one agent node, no workflow),
-- child executions (run_workflow / ask_agent tools), and idempotent conversation memory.

-- An execution is a workflow run or a chat with one agent (POST /agents/{id}/chat); a chat's
-- definition snapshot is a one-node workflow, so the engine runs both alike.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'workflow'
	CHECK (kind IN ('workflow', 'chat'));
ALTER TABLE executions ADD COLUMN IF NOT EXISTS agent_id uuid
	REFERENCES agents(id) ON DELETE CASCADE;
ALTER TABLE executions ADD COLUMN IF NOT EXISTS session_id text
	CHECK (session_id IS NULL OR length(session_id) BETWEEN 1 AND 128);
-- A tool-started run points at the run that started it; deleting the parent deletes it.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS parent_execution_id uuid
	REFERENCES executions(id) ON DELETE CASCADE;
ALTER TABLE executions ALTER COLUMN workflow_id DROP NOT NULL;
ALTER TABLE executions ADD CONSTRAINT executions_kind_target CHECK (
	(kind = 'workflow' AND workflow_id IS NOT NULL) OR
	(kind = 'chat' AND agent_id IS NOT NULL)) NOT VALID;
CREATE INDEX IF NOT EXISTS executions_agent ON executions (agent_id, created_at DESC)
	WHERE agent_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS executions_parent ON executions (parent_execution_id)
	WHERE parent_execution_id IS NOT NULL;

-- Memory rows remember which step wrote them, so that a step run again (redelivery after a
-- crash, retry) replaces its turn instead of appending it twice; tokens feed window trimming
-- by size later. (agent_id, session_id, id) is already indexed by 001_init.sql.
ALTER TABLE agent_messages ADD COLUMN IF NOT EXISTS execution_id uuid
	REFERENCES executions(id) ON DELETE SET NULL;
ALTER TABLE agent_messages ADD COLUMN IF NOT EXISTS node_id text;
ALTER TABLE agent_messages ADD COLUMN IF NOT EXISTS tokens integer;
ALTER TABLE agent_messages ADD CONSTRAINT agent_messages_role
	CHECK (role IN ('user', 'assistant', 'tool')) NOT VALID;
CREATE INDEX IF NOT EXISTS agent_messages_step ON agent_messages (execution_id, node_id)
	WHERE execution_id IS NOT NULL;

-- Room for vector memory: embeddings as real[] (pgvector is not packaged for Debian 12),
-- compared in SQL or in jobd; filled by the vector-memory issue.
ALTER TABLE agent_messages ADD COLUMN IF NOT EXISTS embedding real[];
