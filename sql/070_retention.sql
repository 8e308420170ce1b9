-- 070_retention.sql: how long ended executions are kept (jobd/retention.c prunes them).

-- A workflow's own retention in days: NULL follows FRAGENT_RETENTION_DAYS, 0 keeps its runs
-- forever. Chats (no workflow) always follow the setting.
ALTER TABLE workflows ADD COLUMN retention_days integer
	CHECK (retention_days IS NULL OR retention_days BETWEEN 0 AND 3650);

-- The pruner walks ended executions oldest first; running ones are never in this index.
CREATE INDEX executions_ended ON executions (end_time) WHERE end_time IS NOT NULL;
