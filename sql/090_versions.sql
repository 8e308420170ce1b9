-- 090_versions.sql: every saved definition of a workflow, kept as a version: created with
-- the workflow, one more on each save and each restore (fcgi/workflows.c writes the row in
-- the statement that writes the workflow). Executions name the version they ran
-- (executions.workflow_version). Deleting a workflow deletes its versions.
CREATE TABLE workflow_versions (
	workflow_id	uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
	version		integer NOT NULL,
	name		text NOT NULL,
	description	text NOT NULL DEFAULT '',
	definition	jsonb NOT NULL,
	author_id	uuid REFERENCES users(id) ON DELETE SET NULL,
	message		text NOT NULL DEFAULT '' CHECK (length(message) <= 500),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (workflow_id, version)
);

-- What exists now becomes the first version kept of each workflow.
INSERT INTO workflow_versions (workflow_id, version, name, description, definition,
	author_id, created_at)
SELECT id, version, name, description, definition, owner_id, updated_at FROM workflows
ON CONFLICT DO NOTHING;
