/** Shapes of the Fra-Gent REST API (/api/v1), as the server sends them (docs/API.md). */

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

/** Status of one node in a run, as the monitor shows it. */
export const NODE_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const ROLES = ["admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  username: string;
  email: string;
  role: Role;
  /** Disabled by an administrator: cannot sign in; its tokens and keys are refused. */
  disabled: boolean;
  created_at: string;
  updated_at: string;
}

/** Answer of register, login and refresh. */
export interface AuthResult {
  user: User;
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface SetupState {
  needs_setup: boolean;
  open_signup: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/** POST /api-keys: the only time the full key is shown. */
export interface CreatedApiKey extends ApiKey {
  key: string;
}

export const PROVIDERS = ["openai", "anthropic"] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface AgentConfiguration {
  provider: Provider;
  /** "" (or absent on the server) for the provider's default. */
  base_url: string;
  model: string;
  credential_id: string | null;
  system_prompt: string;
  temperature: number;
  max_tokens: number;
  tools: string[];
  memory: { type: "none" | "buffer"; window: number };
  max_iterations: number;
}

export interface Agent {
  id: string;
  owner_id: string;
  name: string;
  description: string;
  configuration: AgentConfiguration;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AgentInput {
  name: string;
  description: string;
  /** base_url may be left out: the provider's default. */
  configuration: Omit<AgentConfiguration, "base_url"> & { base_url?: string };
}

export interface Credential {
  id: string;
  owner_id: string;
  name: string;
  provider: string;
  hint: string;
  created_at: string;
}

export interface CredentialInput {
  name: string;
  provider: string;
  secret: string;
}

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

export interface WorkflowUpdate extends WorkflowCreate {
  version: number;
}

/** The document of GET /workflows/{id}/export and POST /workflows/import. */
export interface WorkflowExport {
  fragent_export: 1;
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
  usage?: JsonValue;
  started_at: string | null;
  finished_at: string | null;
}

export interface Execution {
  id: string;
  /** "chat": a conversation with an agent (POST /agents/{id}/chat), which has no workflow. */
  kind?: "workflow" | "chat";
  workflow_id: string | null;
  workflow_version: number | null;
  agent_id?: string | null;
  owner_id?: string;
  status: ExecutionStatus;
  inputs: JsonValue;
  results: JsonValue;
  error: JsonValue;
  attempt: number;
  created_at: string;
  start_time: string | null;
  end_time: string | null;
  steps?: ExecutionStep[];
  /** The definition snapshot, when the server includes it. */
  definition?: WorkflowDefinition;
}

export interface ExecutionFilters {
  status?: ExecutionStatus | "";
  workflow_id?: string;
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
  /** node.token: the streamed text. */
  text?: string;
  /** The whole data object, for fields the UI does not know yet. */
  data: JsonObject;
}

export const TERMINAL_EVENT_TYPES = [
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
] as const;

/** A JSON Schema as the catalogues send it; only what the forms read. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: JsonValue;
  enum?: JsonValue[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  format?: string;
  /** Fra-Gent hint: "template", "jq", "agent", "credential", "multiline", "json". */
  "x-fragent"?: string;
}

export interface NodeType {
  type: string;
  title: string;
  description: string;
  category: string;
  config_schema: JsonSchema;
  handles: { inputs: string[]; outputs: string[] };
}

/** One operator setting in force (GET /settings, admins only): never a secret. */
export interface OperatorSetting {
  name: string;
  value: string;
  default: string;
  description: string;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  input_schema: JsonSchema;
}

/** One entry of a problem's "errors" list. */
export interface FieldError {
  field: string;
  message: string;
}
