-- 095_child_runs.sql: runs started by a workflow's own nodes: the sub_workflow node starts one
-- child execution, the map node one per item of an array. A child names the node that
-- started it and, under a map, the item's index, so that the run view groups a map's
-- children by item and a resumed or retried node finds the children it started already.
ALTER TABLE executions
	ADD COLUMN parent_node text CHECK (parent_node IS NULL OR length(parent_node) <= 64),
	ADD COLUMN parent_item integer CHECK (parent_item IS NULL OR parent_item >= 0);

-- workflow: started by a sub_workflow or map node (parent_execution_id, parent_node).
ALTER TABLE executions DROP CONSTRAINT executions_trigger_check;
ALTER TABLE executions ADD CONSTRAINT executions_trigger_check
	CHECK (trigger IN ('manual', 'api', 'webhook', 'schedule', 'tool', 'workflow'));

-- A node's children in item order (the run view's pages, the node's resume).
CREATE INDEX executions_parent_node ON executions (parent_execution_id, parent_node,
	parent_item, created_at) WHERE parent_node IS NOT NULL;
