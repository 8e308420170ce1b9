/**
 * The API's shapes under the names the app uses. Each comes from the API's own
 * OpenAPI document (src/api/openapi.json → schema.gen.ts, `npm run api:generate`);
 * the few written here say why the document does not give them.
 */

import type { components, paths } from "./schema.gen";
import {
  agentConfigurationProviderValues,
  executionStatusValues,
  executionTriggerValues,
  scheduleMissedValues,
  userRoleValues,
  webhookAuth_modeValues,
  webhookMethodsValues,
  webhookResponse_modeValues,
} from "./schema.gen";

type Schemas = components["schemas"];

/** Any JSON value, for inputs, outputs and configs the document leaves free. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const EXECUTION_STATUSES = executionStatusValues;
export type ExecutionStatus = Schemas["Execution"]["status"];

/** Status of one node in a run, as the monitor derives it from steps and events. */
export const NODE_STATUSES = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "skipped",
  "cancelled",
] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const ROLES = userRoleValues;
export type Role = Schemas["User"]["role"];

export type User = Schemas["User"];
/** Answer of register, login and refresh. */
export type AuthResult = Schemas["Session"];
export type SetupState = Schemas["Setup"];
export type LoginInput = Schemas["Login"];
export type RegisterInput = Schemas["Register"];
export type UserCreate = Schemas["UserCreate"];
export type UserPatch = Schemas["UserPatch"];

export type ApiKey = Schemas["ApiKey"];
/** POST /api-keys: the only time the full key is shown. */
export type CreatedApiKey = Schemas["ApiKeyCreated"];

export const PROVIDERS = agentConfigurationProviderValues;
export type Provider = Schemas["AgentConfiguration"]["provider"];

export type AgentConfiguration = Schemas["AgentConfiguration"];
export type Agent = Schemas["Agent"];
export type AgentInput = Schemas["AgentCreate"];
export type AgentUpdate = Schemas["AgentUpdate"];
export type AgentChat = Schemas["AgentChat"];

export type Credential = Schemas["Credential"];
export type CredentialInput = Schemas["CredentialCreate"];

/*
 * The document gives a definition as {nodes: [...], edges: [...]} and leaves the
 * items free (each node type's config is described by GET /node-types); these are
 * the shapes the editor builds and reads.
 */
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

/** A run budget (a workflow's definition.budget; an agent's configuration.budget has the first two). */
export type RunBudget = NonNullable<Schemas["Definition"]["budget"]>;

export interface WorkflowDefinition {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  budget?: RunBudget;
}

type WithDefinition<T> = Omit<T, "definition"> & { definition: WorkflowDefinition };

/** A workflow as listed by GET /workflows (no definition). */
export type WorkflowSummary = Omit<Schemas["Workflow"], "definition">;
/** A full workflow, as GET /workflows/{id} and POST /workflows answer. */
export type Workflow = WithDefinition<Schemas["Workflow"]>;
export type WorkflowCreate = WithDefinition<Schemas["WorkflowCreate"]>;
export type WorkflowUpdate = WithDefinition<Schemas["WorkflowUpdate"]>;
/** A version kept of a workflow (GET /workflows/{id}/versions/{version}). */
export type WorkflowVersion = WithDefinition<Schemas["WorkflowVersion"]>;
/** One row of GET /workflows/{id}/versions (no definition). */
export type WorkflowVersionSummary = Schemas["WorkflowVersionList"]["items"][number];
export interface WorkflowVersionPage {
  items: WorkflowVersionSummary[];
  next_before: number | null;
}
/** The document of GET /workflows/{id}/export and POST /workflows/import. */
export type WorkflowExport = WithDefinition<Schemas["WorkflowExport"]>;

/** One page of a list route: every list schema (AgentList, …) has this shape. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/* A replay's step: where its output came from (copied, the recording, a call out, computed). */
export type ReplaySource = NonNullable<
  NonNullable<Schemas["ExecutionWithSteps"]["steps"]>[number]["replay_source"]
>;
export const REPLAY_SOURCES: readonly ReplaySource[] = ["reused", "recording", "live", "computed"];

/*
 * How a replay was asked for ({from_node, offline, input_changed, definition_changed}): the
 * document gives Execution.replay as a free object, so its members are written here.
 */
export interface ReplayOrigin {
  from_node: string | null;
  offline: boolean;
  input_changed: boolean;
  definition_changed: boolean;
}

/* The document leaves results, inputs and outputs free ("{}"): they are JSON. */
type FreeAsJson<T> = { [K in keyof T]: unknown extends T[K] ? JsonValue : T[K] };

export type Execution = Omit<FreeAsJson<Schemas["Execution"]>, "replay"> & {
  replay?: ReplayOrigin | null;
};
export type ExecutionStep = FreeAsJson<NonNullable<Schemas["ExecutionWithSteps"]["steps"]>[number]>;
/** GET /executions/{id}: the execution and the steps recorded so far. */
export type ExecutionWithSteps = Execution & { steps?: ExecutionStep[] };

/** The runs one node started (GET /executions/{id}/children): a map's items, a sub-workflow's run. */
export type ExecutionChildren = Schemas["ExecutionChildren"];
export type ExecutionChild = ExecutionChildren["items"][number];

/** What started a run: the UI, an API key, a webhook, a schedule, a tool call or a workflow's node. */
export type ExecutionTrigger = NonNullable<Schemas["Execution"]["trigger"]>;
export const EXECUTION_TRIGGERS = executionTriggerValues as readonly ExecutionTrigger[];

/** The filters of GET /executions (its paging fields aside). */
export type ExecutionFilters = Omit<
  NonNullable<paths["/api/v1/executions"]["get"]["parameters"]["query"]>,
  "limit" | "cursor"
>;

/** The body of POST /executions/{id}/replay ({}: an exact, offline replay). */
export type ReplayRequest = Omit<Schemas["ExecutionReplay"], "input" | "definition"> & {
  input?: JsonObject;
  definition?: WorkflowDefinition;
};
/** GET /executions/{id}/replay-diff: each node of a replay beside the original's. */
export type ReplayDiff = Schemas["ReplayDiff"];
export type ReplayDiffNode = ReplayDiff["nodes"][number];

/** The filters of POST /executions/delete (every one given must match) and its answer. */
export type ExecutionDelete = Schemas["ExecutionDelete"];
export type ExecutionsDeleted = Schemas["ExecutionsDeleted"];

/** A webhook trigger; "secret" only in the answer that made the secret. */
export type Webhook = Schemas["Webhook"];
export type WebhookCreate = Schemas["WebhookCreate"];
export type WebhookPatch = Schemas["WebhookPatch"];
export type WebhookRotate = Schemas["WebhookRotate"];
export type WebhookMethod = Webhook["methods"][number];
export type WebhookAuthMode = Webhook["auth_mode"];
export type WebhookResponseMode = Webhook["response_mode"];
export const WEBHOOK_METHODS = webhookMethodsValues as readonly WebhookMethod[];
export const WEBHOOK_AUTH_MODES = webhookAuth_modeValues as readonly WebhookAuthMode[];
export const WEBHOOK_RESPONSE_MODES = webhookResponse_modeValues as readonly WebhookResponseMode[];

/* A schedule's inputs are the run's inputs: JSON. */
export type Schedule = Omit<Schemas["Schedule"], "inputs"> & { inputs?: JsonObject };
export type ScheduleCreate = Omit<Schemas["ScheduleCreate"], "inputs"> & { inputs?: JsonObject };
export type SchedulePatch = Omit<Schemas["SchedulePatch"], "inputs"> & { inputs?: JsonObject };
export type ScheduleMissed = Schemas["Schedule"]["missed"];
export const SCHEDULE_MISSED = scheduleMissedValues as readonly ScheduleMissed[];
/** POST /schedules/preview: the expression in words and its next five fire times. */
export type ScheduleExplained = Schemas["ScheduleExplained"];
export type SchedulePreview = Schemas["SchedulePreview"];

/** One progress event from GET /executions/{id}/events (an event stream, not JSON). */
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

/** A human approval request of a run (the approval node) with its answer, if any. */
export type Approval = FreeAsJson<Schemas["Approval"]>;
export type ApprovalAnswer = Schemas["ApprovalAnswer"];
export type ApprovalDecision = ApprovalAnswer["decision"];

export const TERMINAL_EVENT_TYPES = [
  "execution.completed",
  "execution.failed",
  "execution.cancelled",
] as const;

/** A JSON Schema as the catalogues send it (the document says "object"); what the forms read. */
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

/** A node type of GET /node-types, with its handles read as name lists (guards.ts). */
export type NodeType = Omit<
  Schemas["NodeTypes"][number],
  "config_schema" | "handles" | "description" | "category"
> & {
  description: string;
  category: string;
  config_schema: JsonSchema;
  /**
   * Input and output handle names; "error", the handle every node has for its failure;
   * "cases", for a type whose further outputs are named by its config, the member listing them.
   */
  handles: { inputs: string[]; outputs: string[]; error?: string; cases?: string };
};

/** One operator setting in force (GET /settings, admins only): never a secret. */
export type OperatorSetting = Schemas["Settings"]["settings"][number];

export type Tool = Omit<Schemas["Tools"][number], "input_schema"> & { input_schema: JsonSchema };

/** An LLM provider of GET /providers: a name agents may give, and what its credential holds. */
export type ProviderInfo = Schemas["Providers"][number];

/** One entry of a problem's "errors" list. */
export type FieldError = NonNullable<Schemas["Problem"]["errors"]>[number];

/** The ranges of the usage routes: the last 24 hours or 7 days. */
export type UsageRange = NonNullable<Schemas["UsageRuns"]["range"]>;
export const USAGE_RANGES: readonly UsageRange[] = ["24h", "7d"];
/** GET /usage/runs: runs per hour by status with p50/p95 durations, and the range's totals. */
export type UsageRuns = Schemas["UsageRuns"];
export type UsageHour = UsageRuns["buckets"][number];
/** GET /usage/models: calls, tokens and estimated cost per model (null cost: no price). */
export type UsageModels = Schemas["UsageModels"];
export type UsageModel = UsageModels["items"][number];
/** GET /usage/failing: the workflows with the most failed runs. */
export type UsageFailing = Schemas["UsageFailing"];
/** A model's price per million prompt and completion tokens (GET/PUT /settings/model-prices). */
export type ModelPrice = Schemas["ModelPrices"]["items"][number];
export type ModelPriceInput = Schemas["ModelPricesPut"]["items"][number];
