/** Small runtime checks that turn parsed JSON (unknown) into the API types. */

import type {
  Execution,
  ExecutionStatus,
  JsonObject,
  Page,
  Workflow,
  WorkflowSummary,
} from "./types";
import { EXECUTION_STATUSES } from "./types";

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}

export function isExecutionStatus(v: unknown): v is ExecutionStatus {
  return isString(v) && (EXECUTION_STATUSES as readonly string[]).includes(v);
}

/** Thrown when a 2xx body does not have the shape of the contract. */
export class ShapeError extends Error {
  constructor(what: string) {
    super(`The server sent an unexpected ${what}.`);
    this.name = "ShapeError";
  }
}

export function asWorkflowSummary(v: unknown): WorkflowSummary {
  if (!isObject(v) || !isString(v.id) || !isString(v.name)) throw new ShapeError("workflow");
  return {
    id: v.id,
    name: v.name,
    description: isString(v.description) ? v.description : null,
    version: typeof v.version === "number" ? v.version : 1,
    created_at: isString(v.created_at) ? v.created_at : "",
    updated_at: isString(v.updated_at) ? v.updated_at : "",
  };
}

export function asWorkflow(v: unknown): Workflow {
  const summary = asWorkflowSummary(v);
  const def = isObject(v) ? v.definition : undefined;
  if (!isObject(def) || !Array.isArray(def.nodes) || !Array.isArray(def.edges)) {
    throw new ShapeError("workflow definition");
  }
  return { ...summary, definition: def as unknown as Workflow["definition"] };
}

export function asWorkflowPage(v: unknown): Page<WorkflowSummary> {
  if (!isObject(v) || !Array.isArray(v.items)) throw new ShapeError("workflow list");
  return {
    items: v.items.map(asWorkflowSummary),
    next_cursor: isString(v.next_cursor) ? v.next_cursor : null,
  };
}

export function asExecution(v: unknown): Execution {
  if (!isObject(v) || !isString(v.id) || !isExecutionStatus(v.status)) {
    throw new ShapeError("execution");
  }
  return v as unknown as Execution;
}
