-- 140_workflow_notify.sql: workflows notify their changes as agents do (130_row_notify.sql),
-- so that the API can read a workflow by id from its per-process cache — GET
-- /workflows/{id} and the definition a new run snapshots — and still never use a version
-- older than the change.

CREATE TRIGGER workflows_changed AFTER UPDATE OR DELETE ON workflows
	FOR EACH ROW EXECUTE FUNCTION rows_notify();
