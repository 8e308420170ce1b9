/** Shapes of the Fra-Gent REST API (/api/v1), as the server sends them. */

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const EXECUTION_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "cancelled",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** A workflow as listed by GET /workflows (no definition). */
export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface WorkflowNode {
  id: string;
  type: string;
  config: JsonObject;
  position?: { x: number; y: number };
}

export interface WorkflowEdge {
  source: string;
  target: string;
  source_handle?: string;
}

export interface WorkflowDefinition {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** A full workflow, as GET /workflows/{id} and POST /workflows answer. */
export interface Workflow extends WorkflowSummary {
  definition: WorkflowDefinition;
}

export interface WorkflowCreate {
  name: string;
  description: string;
  definition: WorkflowDefinition;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ExecutionStep {
  node_id: string;
  status: string;
  attempt: number;
  input: JsonValue;
  output: JsonValue;
  error: JsonValue;
  started_at: string | null;
  finished_at: string | null;
}

export interface Execution {
  id: string;
  workflow_id: string;
  workflow_version: number;
  status: ExecutionStatus;
  inputs: JsonValue;
  results: JsonValue;
  error: JsonValue;
  attempt: number;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
  steps?: ExecutionStep[];
}

/** One progress event from GET /executions/{id}/events. */
export interface ExecutionEvent {
  /** SSE id (the Redis stream id); also the React key. */
  id: string;
  /** The SSE "event" field, e.g. "node.completed". */
  type: string;
  execution_id: string;
  time: string;
  node_id?: string;
  output?: JsonValue;
  error?: JsonValue;
  status?: string;
  /** The whole data object, for fields the UI does not know yet. */
  data: JsonObject;
}

export const TERMINAL_EVENT_TYPES = [
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
] as const;

/** One entry of a problem's "errors" list. */
export interface FieldError {
  field: string;
  message: string;
}
