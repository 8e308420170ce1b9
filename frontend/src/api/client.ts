/** Typed fetch helpers for the Fra-Gent REST API. All URLs are same-origin. */

import { asExecution, asWorkflow, asWorkflowPage } from "./guards";
import { networkProblem, problemFromResponse } from "./problem";
import type {
  Execution,
  JsonObject,
  Page,
  Workflow,
  WorkflowCreate,
  WorkflowSummary,
} from "./types";

export const API_BASE = "/api/v1";

/**
 * Sends a request to "path" under /api/v1 and returns the parsed JSON body.
 * Throws a ProblemError for a non-2xx answer or when the server is unreachable;
 * an AbortError passes through untouched.
 */
export async function apiRequest(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw networkProblem(err);
  }
  if (!res.ok) throw await problemFromResponse(res);
  if (res.status === 204) return null;
  const body: unknown = await res.json();
  return body;
}

export async function getHealth(signal?: AbortSignal): Promise<{ status: string }> {
  const body = await apiRequest("/health", { signal });
  const status =
    typeof body === "object" && body !== null && "status" in body && typeof body.status === "string"
      ? body.status
      : "unknown";
  return { status };
}

export async function listWorkflows(
  limit: number,
  signal?: AbortSignal,
): Promise<Page<WorkflowSummary>> {
  return asWorkflowPage(await apiRequest(`/workflows?limit=${limit}`, { signal }));
}

export async function createWorkflow(input: WorkflowCreate): Promise<Workflow> {
  return asWorkflow(await apiRequest("/workflows", { method: "POST", body: input }));
}

export async function startExecution(workflowId: string, inputs: JsonObject): Promise<Execution> {
  const path = `/workflows/${encodeURIComponent(workflowId)}/executions`;
  return asExecution(await apiRequest(path, { method: "POST", body: { inputs } }));
}

export async function getExecution(id: string, signal?: AbortSignal): Promise<Execution> {
  return asExecution(await apiRequest(`/executions/${encodeURIComponent(id)}`, { signal }));
}
