/** Typed fetch helpers for the Fra-Gent REST API. All URLs are same-origin. */

import { API_BASE, expireSession, getAccessToken, refreshSession } from "./auth";
import {
  asAgent,
  asApiKey,
  asAuthResult,
  asCreatedApiKey,
  asCredential,
  asExecution,
  asList,
  asNodeType,
  asPage,
  asSettings,
  asSetupState,
  asTool,
  asUser,
  asWorkflow,
  asWorkflowSummary,
} from "./guards";
import { ProblemError, networkProblem, problemFromResponse } from "./problem";
import type {
  Agent,
  AgentInput,
  ApiKey,
  AuthResult,
  CreatedApiKey,
  Credential,
  CredentialInput,
  Execution,
  ExecutionFilters,
  JsonObject,
  NodeType,
  OperatorSetting,
  Page,
  Role,
  SetupState,
  Tool,
  User,
  Workflow,
  WorkflowCreate,
  WorkflowDefinition,
  WorkflowExport,
  WorkflowSummary,
  WorkflowUpdate,
} from "./types";

export { API_BASE };

interface RequestInit {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** false for the auth routes that must not trigger a refresh. */
  auth?: boolean;
}

async function send(path: string, init: RequestInit): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const token = getAccessToken();
  if (init.auth !== false && token !== null) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(`${API_BASE}${path}`, {
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
}

/**
 * Sends a request to "path" under /api/v1 and returns the parsed JSON body (null
 * for 204). Without an access token, or after a 401, it refreshes the session once
 * and tries again; when that fails too the session expires (the app goes to the
 * sign-in page). Throws a ProblemError for a non-2xx answer or when the server is
 * unreachable; an AbortError passes through untouched.
 */
export async function apiRequest(path: string, init: RequestInit = {}): Promise<unknown> {
  if (init.auth !== false && getAccessToken() === null && (await refreshSession()) === null) {
    expireSession();
    throw new ProblemError({ title: "Unauthorized", status: 401, detail: "Please sign in." });
  }
  let res = await send(path, init);
  if (res.status === 401 && init.auth !== false) {
    const renewed = await refreshSession();
    if (renewed !== null) res = await send(path, init);
    if (res.status === 401) expireSession();
  }
  if (!res.ok) throw await problemFromResponse(res);
  if (res.status === 204 || res.status === 205) return null;
  const text = await res.text();
  return text === "" ? null : (JSON.parse(text) as unknown);
}

const id = encodeURIComponent;

function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

/* ---- service ---- */

export async function getHealth(signal?: AbortSignal): Promise<{ status: string }> {
  const body = await apiRequest("/health", { signal, auth: false });
  const status =
    typeof body === "object" && body !== null && "status" in body && typeof body.status === "string"
      ? body.status
      : "unknown";
  return { status };
}

/* ---- auth ---- */

export async function getSetup(signal?: AbortSignal): Promise<SetupState> {
  return asSetupState(await apiRequest("/auth/setup", { signal, auth: false }));
}

export async function login(body: { username: string; password: string }): Promise<AuthResult> {
  return asAuthResult(await apiRequest("/auth/login", { method: "POST", body, auth: false }));
}

export async function register(body: {
  username: string;
  email: string;
  password: string;
}): Promise<AuthResult> {
  return asAuthResult(await apiRequest("/auth/register", { method: "POST", body, auth: false }));
}

export async function logout(): Promise<void> {
  await apiRequest("/auth/logout", { method: "POST" });
}

export async function getMe(signal?: AbortSignal): Promise<User> {
  return asUser(await apiRequest("/auth/me", { signal }));
}

/* ---- operator settings ---- */

export async function getSettings(signal?: AbortSignal): Promise<OperatorSetting[]> {
  return asSettings(await apiRequest("/settings", { signal }));
}

/* ---- users and API keys ---- */

export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return asList(asUser, "user")(await apiRequest("/users?limit=100", { signal }));
}

export async function createUser(body: {
  username: string;
  email: string;
  password: string;
  role: Role;
}): Promise<User> {
  return asUser(await apiRequest("/users", { method: "POST", body }));
}

export async function updateUser(
  userId: string,
  body: { email?: string; password?: string; role?: Role; disabled?: boolean },
): Promise<User> {
  return asUser(await apiRequest(`/users/${id(userId)}`, { method: "PATCH", body }));
}

export async function deleteUser(userId: string): Promise<void> {
  await apiRequest(`/users/${id(userId)}`, { method: "DELETE" });
}

export async function listApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return asList(asApiKey, "API key")(await apiRequest("/api-keys", { signal }));
}

export async function createApiKey(name: string): Promise<CreatedApiKey> {
  return asCreatedApiKey(await apiRequest("/api-keys", { method: "POST", body: { name } }));
}

export async function deleteApiKey(keyId: string): Promise<void> {
  await apiRequest(`/api-keys/${id(keyId)}`, { method: "DELETE" });
}

/* ---- agents ---- */

export async function listAgents(
  q: string,
  limit: number,
  signal?: AbortSignal,
): Promise<Page<Agent>> {
  return asPage(asAgent, "agent")(await apiRequest(`/agents${query({ q, limit })}`, { signal }));
}

export async function getAgent(agentId: string, signal?: AbortSignal): Promise<Agent> {
  return asAgent(await apiRequest(`/agents/${id(agentId)}`, { signal }));
}

export async function createAgent(body: AgentInput): Promise<Agent> {
  return asAgent(await apiRequest("/agents", { method: "POST", body }));
}

export async function updateAgent(
  agentId: string,
  body: AgentInput & { version: number },
): Promise<Agent> {
  return asAgent(await apiRequest(`/agents/${id(agentId)}`, { method: "PUT", body }));
}

export async function deleteAgent(agentId: string): Promise<void> {
  await apiRequest(`/agents/${id(agentId)}`, { method: "DELETE" });
}

export async function chatWithAgent(
  agentId: string,
  body: { message: string; session_id?: string },
): Promise<Execution> {
  return asExecution(await apiRequest(`/agents/${id(agentId)}/chat`, { method: "POST", body }));
}

/* ---- credentials ---- */

export async function listCredentials(signal?: AbortSignal): Promise<Page<Credential>> {
  return asPage(asCredential, "credential")(await apiRequest("/credentials?limit=100", { signal }));
}

export async function createCredential(body: CredentialInput): Promise<Credential> {
  return asCredential(await apiRequest("/credentials", { method: "POST", body }));
}

export async function deleteCredential(credentialId: string): Promise<void> {
  await apiRequest(`/credentials/${id(credentialId)}`, { method: "DELETE" });
}

/* ---- workflows ---- */

export async function listWorkflows(
  q: string,
  limit: number,
  signal?: AbortSignal,
): Promise<Page<WorkflowSummary>> {
  const body = await apiRequest(`/workflows${query({ q, limit })}`, { signal });
  return asPage(asWorkflowSummary, "workflow")(body);
}

export async function getWorkflow(workflowId: string, signal?: AbortSignal): Promise<Workflow> {
  return asWorkflow(await apiRequest(`/workflows/${id(workflowId)}`, { signal }));
}

export async function createWorkflow(body: WorkflowCreate): Promise<Workflow> {
  return asWorkflow(await apiRequest("/workflows", { method: "POST", body }));
}

export async function updateWorkflow(workflowId: string, body: WorkflowUpdate): Promise<Workflow> {
  return asWorkflow(await apiRequest(`/workflows/${id(workflowId)}`, { method: "PUT", body }));
}

export async function deleteWorkflow(workflowId: string): Promise<void> {
  await apiRequest(`/workflows/${id(workflowId)}`, { method: "DELETE" });
}

/** POST /workflows/validate: resolves when valid, throws the 422 problem otherwise. */
export async function validateWorkflow(definition: WorkflowDefinition): Promise<void> {
  await apiRequest("/workflows/validate", { method: "POST", body: { definition } });
}

export async function importWorkflow(doc: WorkflowExport): Promise<Workflow> {
  return asWorkflow(await apiRequest("/workflows/import", { method: "POST", body: doc }));
}

/* ---- executions ---- */

export async function startExecution(workflowId: string, inputs: JsonObject): Promise<Execution> {
  const path = `/workflows/${id(workflowId)}/executions`;
  return asExecution(await apiRequest(path, { method: "POST", body: { inputs } }));
}

export async function listExecutions(
  filters: ExecutionFilters & { limit: number; cursor?: string | null },
  signal?: AbortSignal,
): Promise<Page<Execution>> {
  const body = await apiRequest(`/executions${query({ ...filters })}`, { signal });
  return asPage(asExecution, "execution")(body);
}

export async function getExecution(executionId: string, signal?: AbortSignal): Promise<Execution> {
  return asExecution(await apiRequest(`/executions/${id(executionId)}`, { signal }));
}

export async function cancelExecution(executionId: string): Promise<void> {
  await apiRequest(`/executions/${id(executionId)}/cancel`, { method: "POST" });
}

export async function retryExecution(executionId: string): Promise<Execution | null> {
  const body = await apiRequest(`/executions/${id(executionId)}/retry`, { method: "POST" });
  return body === null ? null : asExecution(body);
}

/* ---- catalogues ---- */

export async function listNodeTypes(signal?: AbortSignal): Promise<NodeType[]> {
  return asList(asNodeType, "node type")(await apiRequest("/node-types", { signal }));
}

export async function listTools(signal?: AbortSignal): Promise<Tool[]> {
  return asList(asTool, "tool")(await apiRequest("/tools", { signal }));
}
