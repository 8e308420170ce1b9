/**
 * Checks at the network edge: a 2xx body that lacks what the API's document
 * promises becomes a ShapeError (shown as an error state) instead of a crash deep
 * in a component. The types are the generated ones; REQUIRED names the fields each
 * check looks for, and guards.test.ts holds that table to the document's
 * "required" lists, so the checks cannot drift from the contract.
 */

import type { components } from "./schema.gen";
import { executionStatusValues, userRoleValues } from "./schema.gen";
import type {
  Approval,
  Execution,
  ExecutionStatus,
  ExecutionWithSteps,
  JsonObject,
  NodeType,
  Page,
  ProviderInfo,
  ReplayDiff,
  Role,
  Schedule,
  ScheduleExplained,
  Tool,
  Webhook,
  Workflow,
  WorkflowDefinition,
  WorkflowVersion,
  WorkflowVersionPage,
  WorkflowVersionSummary,
} from "./types";

type Schemas = components["schemas"];

/** Per schema, the fields a body must have (each required by the document). */
export const REQUIRED = {
  User: ["id", "username", "role"],
  Session: ["user", "access_token", "expires_in"],
  Setup: ["needs_setup", "open_signup"],
  ApiKey: ["id", "name", "prefix"],
  ApiKeyCreated: ["id", "name", "prefix", "key"],
  Agent: ["id", "name", "configuration", "version"],
  Credential: ["id", "name", "provider", "hint"],
  Workflow: ["id", "name", "version"],
  WorkflowVersion: ["version", "name", "definition", "message", "created_at"],
  Execution: ["id", "kind", "status"],
  Settings: ["settings"],
  Webhook: ["id", "workflow_id", "token", "path", "enabled", "methods", "auth_mode"],
  Schedule: ["id", "workflow_id", "cron", "timezone", "enabled", "description", "next_fires"],
  ScheduleExplained: ["description", "next_fires"],
  UsageRuns: ["range", "buckets", "totals"],
  UsageModels: ["range", "items", "totals"],
  UsageFailing: ["range", "items"],
  ModelPrices: ["items"],
  Approval: ["execution_id", "node_id", "state", "can_answer"],
  // original_id is required too, but null once the original is deleted.
  ReplayDiff: ["replay_id", "nodes"],
} as const satisfies { [K in keyof Schemas]?: readonly (keyof Schemas[K])[] };

type Checked = keyof typeof REQUIRED;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}

export function isExecutionStatus(v: unknown): v is ExecutionStatus {
  return isString(v) && (executionStatusValues as readonly string[]).includes(v);
}

export function isRole(v: unknown): v is Role {
  return isString(v) && (userRoleValues as readonly string[]).includes(v);
}

/** Thrown when a 2xx body does not have the shape of the contract. */
export class ShapeError extends Error {
  constructor(what: string) {
    super(`The server sent an unexpected answer (${what}).`);
    this.name = "ShapeError";
  }
}

/* Returns "v" as schema "name" when it is an object holding that schema's REQUIRED fields. */
function conform<K extends Checked>(name: K, v: unknown): Schemas[K] {
  if (!isObject(v) || REQUIRED[name].some((k: string) => v[k] === undefined || v[k] === null)) {
    throw new ShapeError(name);
  }
  return v as unknown as Schemas[K];
}

/** Builds a page reader from an item reader. */
export function asPage<T>(item: (v: unknown) => T, what: string) {
  return (v: unknown): Page<T> => {
    if (!isObject(v) || !Array.isArray(v.items)) throw new ShapeError(`${what} list`);
    return {
      items: v.items.map(item),
      next_cursor: isString(v.next_cursor) ? v.next_cursor : null,
    };
  };
}

/** Reads an array answer (the catalogues). */
export function asList<T>(item: (v: unknown) => T, what: string) {
  return (v: unknown): T[] => {
    if (!Array.isArray(v)) throw new ShapeError(`${what} list`);
    return v.map(item);
  };
}

export function asUser(v: unknown): Schemas["User"] {
  const u = conform("User", v);
  if (!isRole(u.role)) throw new ShapeError("User role");
  return u;
}

export function asAuthResult(v: unknown): Schemas["Session"] {
  const s = conform("Session", v);
  return { ...s, user: asUser(s.user) };
}

export const asSetupState = (v: unknown) => conform("Setup", v);
export const asApiKey = (v: unknown) => conform("ApiKey", v);
export const asCreatedApiKey = (v: unknown) => conform("ApiKeyCreated", v);
export const asCredential = (v: unknown) => conform("Credential", v);
export const asWorkflowSummary = (v: unknown) => conform("Workflow", v);

export function asAgent(v: unknown): Schemas["Agent"] {
  const a = conform("Agent", v);
  if (!isObject(a.configuration)) throw new ShapeError("Agent configuration");
  return a;
}

/* The document leaves a definition's items free: nodes must be a list, edges default to none. */
function asDefinition(v: unknown): WorkflowDefinition {
  if (!isObject(v) || !Array.isArray(v.nodes)) throw new ShapeError("Definition");
  return { ...v, edges: Array.isArray(v.edges) ? v.edges : [] } as unknown as WorkflowDefinition;
}

export function asWorkflow(v: unknown): Workflow {
  const w = conform("Workflow", v);
  return { ...w, definition: asDefinition(w.definition) };
}

export function asWorkflowVersion(v: unknown): WorkflowVersion {
  const w = conform("WorkflowVersion", v);
  return { ...w, definition: asDefinition(w.definition) };
}

/** GET /workflows/{id}/versions: rows without a version number are dropped. */
export function asWorkflowVersionPage(v: unknown): WorkflowVersionPage {
  if (!isObject(v) || !Array.isArray(v.items)) throw new ShapeError("WorkflowVersion list");
  return {
    items: v.items.filter(
      (i): i is WorkflowVersionSummary => isObject(i) && typeof i.version === "number",
    ),
    next_before: typeof v.next_before === "number" ? v.next_before : null,
  };
}

/** An execution; its free fields (inputs, results) are JSON, as parsed. */
export function asExecution(v: unknown): Execution {
  const e = conform("Execution", v);
  if (!isExecutionStatus(e.status)) throw new ShapeError("Execution status");
  return e as Execution;
}

export function asApproval(v: unknown): Approval {
  return conform("Approval", v) as Approval;
}

export function asExecutionWithSteps(v: unknown): ExecutionWithSteps {
  const e = asExecution(v) as ExecutionWithSteps;
  if (e.steps !== undefined && !Array.isArray(e.steps)) throw new ShapeError("Execution steps");
  return e;
}

/** GET /executions/{id}/replay-diff: a node list whose items each name their node. */
export function asReplayDiff(v: unknown): ReplayDiff {
  const d = conform("ReplayDiff", v);
  if (!Array.isArray(d.nodes) || !d.nodes.every((n) => isObject(n) && isString(n.node_id)))
    throw new ShapeError("ReplayDiff nodes");
  return d;
}

/* A handle list; older servers sent a count (0 or 1) instead of names. */
function handleNames(h: unknown, dflt: string[]): string[] {
  if (Array.isArray(h)) return h.filter(isString);
  if (typeof h === "number") return h > 0 ? ["default"] : [];
  return dflt;
}

/** GET /node-types: the document leaves config_schema and handles free; this reads them. */
export function asNodeType(v: unknown): NodeType {
  if (!isObject(v) || !isString(v.type)) throw new ShapeError("NodeTypes");
  const handles: { inputs?: unknown; outputs?: unknown; error?: unknown; cases?: unknown } =
    isObject(v.handles) ? v.handles : {};
  return {
    type: v.type,
    title: isString(v.title) ? v.title : v.type,
    description: isString(v.description) ? v.description : "",
    category: isString(v.category) ? v.category : "Other",
    config_schema: isObject(v.config_schema) ? v.config_schema : { type: "object" },
    handles: {
      inputs: handleNames(handles.inputs, ["default"]),
      outputs: handleNames(handles.outputs, ["default"]),
      ...(isString(handles.error) ? { error: handles.error } : {}),
      ...(isString(handles.cases) ? { cases: handles.cases } : {}),
    },
  };
}

/** GET /settings: {"settings": [...]}. */
export function asSettings(v: unknown): Schemas["Settings"]["settings"] {
  const s = conform("Settings", v);
  if (!Array.isArray(s.settings) || !s.settings.every((o) => isObject(o) && isString(o.name))) {
    throw new ShapeError("Settings");
  }
  return s.settings;
}

/** A webhook; its methods must be a list (the row's buttons and the test form read it). */
export function asWebhook(v: unknown): Webhook {
  const w = conform("Webhook", v);
  if (!Array.isArray(w.methods)) throw new ShapeError("Webhook methods");
  return w;
}

/* next_fires: a list of ISO times. */
function fireTimes(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every(isString)) throw new ShapeError(what);
  return v;
}

/** A schedule; its inputs are a JSON object (the form edits them). */
export function asSchedule(v: unknown): Schedule {
  const s = conform("Schedule", v);
  fireTimes(s.next_fires, "Schedule next_fires");
  return { ...s, inputs: isObject(s.inputs) ? (s.inputs as JsonObject) : {} };
}

export function asScheduleExplained(v: unknown): ScheduleExplained {
  const e = conform("ScheduleExplained", v);
  return { description: e.description, next_fires: fireTimes(e.next_fires, "ScheduleExplained") };
}

/** The list routes of a workflow's triggers: {"items": [...]}, never paged. */
export function asItems<T>(item: (v: unknown) => T, what: string) {
  return (v: unknown): T[] => {
    if (!isObject(v) || !Array.isArray(v.items)) throw new ShapeError(`${what} list`);
    return v.items.map(item);
  };
}

export function asProvider(v: unknown): ProviderInfo {
  if (!isObject(v) || !isString(v.name)) throw new ShapeError("Providers");
  const credential: ProviderInfo["credential"] = [];
  for (const f of Array.isArray(v.credential) ? v.credential : []) {
    if (!isObject(f) || !isString(f.name)) continue;
    credential.push({
      name: f.name,
      title: isString(f.title) ? f.title : f.name,
      description: isString(f.description) ? f.description : "",
      required: f.required === true,
    });
  }
  return {
    name: v.name,
    title: isString(v.title) ? v.title : v.name,
    description: isString(v.description) ? v.description : "",
    default_base_url: isString(v.default_base_url) ? v.default_base_url : "",
    credential,
  };
}

export function asTool(v: unknown): Tool {
  if (!isObject(v) || !isString(v.name)) throw new ShapeError("Tools");
  return {
    name: v.name,
    title: isString(v.title) ? v.title : v.name,
    description: isString(v.description) ? v.description : "",
    input_schema: isObject(v.input_schema) ? v.input_schema : { type: "object" },
  };
}

/* Returns "v" as schema "name" when its list member "key" is an array. */
function withList<K extends "UsageRuns" | "UsageModels" | "UsageFailing" | "ModelPrices">(
  name: K,
  key: string,
  v: unknown,
): Schemas[K] {
  const o = conform(name, v);
  if (!Array.isArray((o as unknown as JsonObject)[key])) throw new ShapeError(`${name} ${key}`);
  return o;
}

/** GET /usage/runs. */
export function asUsageRuns(v: unknown): Schemas["UsageRuns"] {
  return withList("UsageRuns", "buckets", v);
}

/** GET /usage/models. */
export function asUsageModels(v: unknown): Schemas["UsageModels"] {
  return withList("UsageModels", "items", v);
}

/** GET /usage/failing. */
export function asUsageFailing(v: unknown): Schemas["UsageFailing"] {
  return withList("UsageFailing", "items", v);
}

/** GET and PUT /settings/model-prices: the list of prices. */
export function asModelPrices(v: unknown): Schemas["ModelPrices"]["items"] {
  return withList("ModelPrices", "items", v).items;
}
