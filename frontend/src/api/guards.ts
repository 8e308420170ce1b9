/** Small runtime checks that turn parsed JSON (unknown) into the API types. */

import type {
  Agent,
  ApiKey,
  AuthResult,
  CreatedApiKey,
  Credential,
  Execution,
  ExecutionStatus,
  JsonObject,
  NodeType,
  OperatorSetting,
  Page,
  Role,
  SetupState,
  Tool,
  User,
  Workflow,
  WorkflowSummary,
} from "./types";
import { EXECUTION_STATUSES, ROLES } from "./types";

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}

function str(v: unknown, fallback = ""): string {
  return isString(v) ? v : fallback;
}

export function isExecutionStatus(v: unknown): v is ExecutionStatus {
  return isString(v) && (EXECUTION_STATUSES as readonly string[]).includes(v);
}

export function isRole(v: unknown): v is Role {
  return isString(v) && (ROLES as readonly string[]).includes(v);
}

/** Thrown when a 2xx body does not have the shape of the contract. */
export class ShapeError extends Error {
  constructor(what: string) {
    super(`The server sent an unexpected ${what}.`);
    this.name = "ShapeError";
  }
}

/* Checks that "v" is an object whose "keys" are strings; returns it typed as T. */
function withStrings<T>(v: unknown, what: string, keys: readonly string[]): T {
  if (!isObject(v) || keys.some((k) => !isString(v[k]))) throw new ShapeError(what);
  return v as unknown as T;
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

/** Reads an array answer, or the items of a page (some lists answer either way). */
export function asList<T>(item: (v: unknown) => T, what: string) {
  return (v: unknown): T[] => {
    if (Array.isArray(v)) return v.map(item);
    if (isObject(v) && Array.isArray(v.items)) return v.items.map(item);
    throw new ShapeError(`${what} list`);
  };
}

export function asUser(v: unknown): User {
  const u = withStrings<User>(v, "user", ["id", "username"]);
  if (!isRole(u.role)) throw new ShapeError("user role");
  return {
    ...u,
    email: str(u.email),
    disabled: u.disabled === true,
    created_at: str(u.created_at),
    updated_at: str(u.updated_at),
  };
}

export function asAuthResult(v: unknown): AuthResult {
  const r = withStrings<AuthResult>(v, "sign-in answer", ["access_token"]);
  return {
    user: asUser(r.user),
    access_token: r.access_token,
    token_type: str(r.token_type, "Bearer"),
    expires_in: typeof r.expires_in === "number" ? r.expires_in : 900,
  };
}

export function asSetupState(v: unknown): SetupState {
  if (!isObject(v) || typeof v.needs_setup !== "boolean") throw new ShapeError("setup state");
  return { needs_setup: v.needs_setup, open_signup: v.open_signup === true };
}

export function asApiKey(v: unknown): ApiKey {
  const k = withStrings<ApiKey>(v, "API key", ["id", "name"]);
  return {
    ...k,
    prefix: str(k.prefix),
    last_used_at: isString(k.last_used_at) ? k.last_used_at : null,
  };
}

export function asCreatedApiKey(v: unknown): CreatedApiKey {
  return { ...asApiKey(v), key: withStrings<CreatedApiKey>(v, "new API key", ["key"]).key };
}

export function asAgent(v: unknown): Agent {
  const a = withStrings<Agent>(v, "agent", ["id", "name"]);
  if (!isObject(a.configuration)) throw new ShapeError("agent configuration");
  return { ...a, description: str(a.description), version: Number(a.version) || 1 };
}

export function asCredential(v: unknown): Credential {
  const c = withStrings<Credential>(v, "credential", ["id", "name"]);
  return { ...c, provider: str(c.provider), hint: str(c.hint) };
}

export function asWorkflowSummary(v: unknown): WorkflowSummary {
  if (!isObject(v) || !isString(v.id) || !isString(v.name)) throw new ShapeError("workflow");
  return {
    id: v.id,
    name: v.name,
    description: isString(v.description) ? v.description : null,
    version: typeof v.version === "number" ? v.version : 1,
    created_at: str(v.created_at),
    updated_at: str(v.updated_at),
  };
}

export function asWorkflow(v: unknown): Workflow {
  const summary = asWorkflowSummary(v);
  const def = isObject(v) ? v.definition : undefined;
  if (!isObject(def) || !Array.isArray(def.nodes)) throw new ShapeError("workflow definition");
  const edges = Array.isArray(def.edges) ? def.edges : [];
  return { ...summary, definition: { ...def, edges } as unknown as Workflow["definition"] };
}

export function asExecution(v: unknown): Execution {
  if (!isObject(v) || !isString(v.id) || !isExecutionStatus(v.status)) {
    throw new ShapeError("execution");
  }
  return v as unknown as Execution;
}

export function asNodeType(v: unknown): NodeType {
  const n = withStrings<NodeType>(v, "node type", ["type"]);
  const handles: { inputs?: unknown; outputs?: unknown } = isObject(n.handles) ? n.handles : {};
  const names = (h: unknown, dflt: string[]): string[] =>
    Array.isArray(h)
      ? h.filter(isString)
      : typeof h === "number"
        ? h > 0
          ? ["default"]
          : []
        : dflt;
  return {
    type: n.type,
    title: str(n.title, n.type),
    description: str(n.description),
    category: str(n.category, "Other"),
    config_schema: isObject(n.config_schema) ? n.config_schema : { type: "object" },
    handles: {
      inputs: names(handles.inputs, ["default"]),
      outputs: names(handles.outputs, ["default"]),
    },
  };
}

function asOperatorSetting(v: unknown): OperatorSetting {
  const o = withStrings<OperatorSetting>(v, "setting", ["name"]);
  return {
    name: o.name,
    value: str(o.value),
    default: str(o.default),
    description: str(o.description),
  };
}

/** GET /settings: {"settings": [...]}. */
export function asSettings(v: unknown): OperatorSetting[] {
  if (!isObject(v) || !Array.isArray(v.settings)) throw new ShapeError("settings");
  return v.settings.map(asOperatorSetting);
}

export function asTool(v: unknown): Tool {
  const t = withStrings<Tool>(v, "tool", ["name"]);
  return {
    name: t.name,
    title: str(t.title, t.name),
    description: str(t.description),
    input_schema: isObject(t.input_schema) ? t.input_schema : { type: "object" },
  };
}
