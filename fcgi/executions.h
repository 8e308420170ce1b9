/* executions.h: the execution JSON the executions handlers share (executions.c, control.c). */
#ifndef FRAGENT_EXECUTIONS_H
#define FRAGENT_EXECUTIONS_H

#define EXEC_FIELDS \
	"'id', e.id, 'kind', e.kind, 'workflow_id', e.workflow_id, " \
	"'workflow_version', e.workflow_version, 'agent_id', e.agent_id, " \
	"'owner_id', e.owner_id, 'status', e.status, 'inputs', e.inputs, " \
	"'results', e.results, 'error', e.error, 'attempt', e.attempt, " \
	"'created_at', e.created_at, 'start_time', e.start_time, 'end_time', e.end_time"
#define EXEC_JSON	"json_build_object(" EXEC_FIELDS ")"

#endif
