/**
 * The REST client: openapi-fetch over the generated `paths` (schema.gen.ts), so each
 * route, parameter and body is checked against the API's document when the app is
 * type-checked. Requests carry the session's token (refreshed once on a 401); a
 * non-2xx answer throws a ProblemError; 2xx bodies pass the guards of guards.ts.
 */

import createClient from "openapi-fetch";

import { expireSession, getAccessToken, refreshSession } from "./auth";
import {
  asAgent,
  asApproval,
  asApiKey,
  asAuthResult,
  asCreatedApiKey,
  asCredential,
  asExecution,
  asExecutionWithSteps,
  asItems,
  asList,
  asModelPrices,
  asNodeType,
  asPage,
  asSettings,
  asSetupState,
  asProvider,
  asReplayDiff,
  asSchedule,
  asScheduleExplained,
  asTool,
  asUsageFailing,
  asUsageModels,
  asUsageRuns,
  asUser,
  asWebhook,
  asWorkflow,
  asWorkflowSummary,
  asWorkflowVersion,
  asWorkflowVersionPage,
} from "./guards";
import { ProblemError, networkProblem, problemFromResponse } from "./problem";
import type { paths } from "./schema.gen";
import type {
  AgentChat,
  ApprovalAnswer,
  AgentInput,
  AgentUpdate,
  CredentialInput,
  ExecutionChildren,
  ExecutionDelete,
  ExecutionFilters,
  ExecutionStatus,
  ExecutionsDeleted,
  JsonObject,
  LoginInput,
  ModelPriceInput,
  RegisterInput,
  ReplayRequest,
  ScheduleCreate,
  SchedulePatch,
  SchedulePreview,
  UserCreate,
  UsageRange,
  UserPatch,
  WebhookCreate,
  WebhookPatch,
  WebhookRotate,
  WorkflowCreate,
  WorkflowDefinition,
  WorkflowExport,
  WorkflowUpdate,
} from "./types";

/** Paging of a list route: ?cursor, ?limit (1-100) and, where the route has one, ?q. */
export interface PageQuery {
  cursor?: string | null;
  limit?: number;
  q?: string;
}

/* Sends "req"; a failure to connect becomes a ProblemError (an abort passes through). */
async function send(req: Request): Promise<Response> {
  try {
    return await fetch(req);
  } catch (err) {
    if (req.signal.aborted) throw err;
    throw networkProblem(err);
  }
}

async function ok(res: Response): Promise<Response> {
  if (!res.ok) throw await problemFromResponse(res);
  return res;
}

function withToken(req: Request): Request {
  const token = getAccessToken();
  if (token !== null) req.headers.set("Authorization", `Bearer ${token}`);
  return req;
}

/*
 * fetch for the signed-in routes. Without an access token, or after a 401, it
 * refreshes the session once and sends again; when that fails too the session
 * expires (the app goes to the sign-in page).
 */
async function sessionFetch(req: Request): Promise<Response> {
  if (getAccessToken() === null && (await refreshSession()) === null) {
    expireSession();
    throw new ProblemError({ title: "Unauthorized", status: 401, detail: "Please sign in." });
  }
  const spare = req.clone();
  let res = await send(withToken(req));
  if (res.status === 401) {
    if ((await refreshSession()) !== null) res = await send(withToken(spare));
    if (res.status === 401) expireSession();
  }
  return ok(res);
}

/* Made on first use: the base is the page's origin (tests set one). */
let clients: { api: ReturnType<typeof make>; open: ReturnType<typeof make> } | null = null;

function make(fetchFn: (req: Request) => Promise<Response>) {
  return createClient<paths>({
    baseUrl: globalThis.location?.origin ?? "",
    fetch: fetchFn,
    headers: { Accept: "application/json" },
    cache: "no-store",
    credentials: "same-origin",
  });
}

/* The signed-in routes. */
function api() {
  clients ??= { api: make(sessionFetch), open: make(async (req) => ok(await send(req))) };
  return clients.api;
}

/* The routes that must not refresh the session: health, setup, sign-in, sign-up. */
function open() {
  api();
  return (clients as NonNullable<typeof clients>).open;
}

/* The query of a list route: empty fields are left out. */
function pageQuery({ cursor, limit, q }: PageQuery) {
  return { cursor: cursor || undefined, limit, q: q || undefined };
}

const byId = (id: string) => ({ params: { path: { id } } });

/* ---- service ---- */

export async function getHealth(signal?: AbortSignal): Promise<{ status: string }> {
  const { data } = await open().GET("/api/v1/health", { signal });
  return { status: typeof data?.status === "string" ? data.status : "unknown" };
}

/* ---- auth ---- */

export async function getSetup(signal?: AbortSignal) {
  return asSetupState((await open().GET("/api/v1/auth/setup", { signal })).data);
}

export async function login(body: LoginInput) {
  return asAuthResult((await open().POST("/api/v1/auth/login", { body })).data);
}

export async function register(body: RegisterInput) {
  return asAuthResult((await open().POST("/api/v1/auth/register", { body })).data);
}

export async function logout(): Promise<void> {
  await api().POST("/api/v1/auth/logout");
}

export async function getMe(signal?: AbortSignal) {
  return asUser((await api().GET("/api/v1/auth/me", { signal })).data);
}

/* ---- operator settings ---- */

export async function getSettings(signal?: AbortSignal) {
  return asSettings((await api().GET("/api/v1/settings", { signal })).data);
}

export async function getModelPrices(signal?: AbortSignal) {
  return asModelPrices((await api().GET("/api/v1/settings/model-prices", { signal })).data);
}

export async function putModelPrices(items: ModelPriceInput[]) {
  return asModelPrices(
    (await api().PUT("/api/v1/settings/model-prices", { body: { items } })).data,
  );
}

/* ---- usage at a glance ---- */

export async function getUsageRuns(range: UsageRange, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/usage/runs", { params: { query: { range } }, signal });
  return asUsageRuns(data);
}

export async function getUsageModels(range: UsageRange, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/usage/models", {
    params: { query: { range } },
    signal,
  });
  return asUsageModels(data);
}

export async function getUsageFailing(range: UsageRange, limit: number, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/usage/failing", {
    params: { query: { range, limit } },
    signal,
  });
  return asUsageFailing(data);
}

/* ---- users and API keys ---- */

export async function listUsers(page: PageQuery, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/users", { params: { query: pageQuery(page) }, signal });
  return asPage(asUser, "User")(data);
}

export async function createUser(body: UserCreate) {
  return asUser((await api().POST("/api/v1/users", { body })).data);
}

export async function updateUser(userId: string, body: UserPatch) {
  return asUser((await api().PATCH("/api/v1/users/{id}", { ...byId(userId), body })).data);
}

export async function deleteUser(userId: string): Promise<void> {
  await api().DELETE("/api/v1/users/{id}", byId(userId));
}

export async function listApiKeys(page: PageQuery, signal?: AbortSignal) {
  const query = pageQuery(page);
  const { data } = await api().GET("/api/v1/api-keys", { params: { query }, signal });
  return asPage(asApiKey, "ApiKey")(data);
}

export async function createApiKey(name: string) {
  return asCreatedApiKey((await api().POST("/api/v1/api-keys", { body: { name } })).data);
}

export async function deleteApiKey(keyId: string): Promise<void> {
  await api().DELETE("/api/v1/api-keys/{id}", byId(keyId));
}

/* ---- agents ---- */

export async function listAgents(page: PageQuery, signal?: AbortSignal) {
  const query = pageQuery(page);
  const { data } = await api().GET("/api/v1/agents", { params: { query }, signal });
  return asPage(asAgent, "Agent")(data);
}

export async function getAgent(agentId: string, signal?: AbortSignal) {
  return asAgent((await api().GET("/api/v1/agents/{id}", { ...byId(agentId), signal })).data);
}

export async function createAgent(body: AgentInput) {
  return asAgent((await api().POST("/api/v1/agents", { body })).data);
}

export async function updateAgent(agentId: string, body: AgentUpdate) {
  return asAgent((await api().PUT("/api/v1/agents/{id}", { ...byId(agentId), body })).data);
}

export async function deleteAgent(agentId: string): Promise<void> {
  await api().DELETE("/api/v1/agents/{id}", byId(agentId));
}

export async function chatWithAgent(agentId: string, body: AgentChat) {
  const { data } = await api().POST("/api/v1/agents/{id}/chat", { ...byId(agentId), body });
  return asExecution(data);
}

/* ---- credentials ---- */

export async function listCredentials(page: PageQuery, signal?: AbortSignal) {
  const query = pageQuery(page);
  const { data } = await api().GET("/api/v1/credentials", { params: { query }, signal });
  return asPage(asCredential, "Credential")(data);
}

export async function createCredential(body: CredentialInput) {
  return asCredential((await api().POST("/api/v1/credentials", { body })).data);
}

export async function deleteCredential(credentialId: string): Promise<void> {
  await api().DELETE("/api/v1/credentials/{id}", byId(credentialId));
}

/* ---- workflows ---- */

export async function listWorkflows(page: PageQuery, signal?: AbortSignal) {
  const query = pageQuery(page);
  const { data } = await api().GET("/api/v1/workflows", { params: { query }, signal });
  return asPage(asWorkflowSummary, "Workflow")(data);
}

export async function getWorkflow(workflowId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/workflows/{id}", { ...byId(workflowId), signal });
  return asWorkflow(data);
}

export async function createWorkflow(body: WorkflowCreate) {
  return asWorkflow((await api().POST("/api/v1/workflows", { body })).data);
}

export async function updateWorkflow(workflowId: string, body: WorkflowUpdate) {
  const { data } = await api().PUT("/api/v1/workflows/{id}", { ...byId(workflowId), body });
  return asWorkflow(data);
}

export async function deleteWorkflow(workflowId: string): Promise<void> {
  await api().DELETE("/api/v1/workflows/{id}", byId(workflowId));
}

/** POST /workflows/validate: resolves when valid, throws the 422 problem otherwise. */
export async function validateWorkflow(definition: WorkflowDefinition): Promise<void> {
  await api().POST("/api/v1/workflows/validate", { body: { definition } });
}

export async function importWorkflow(doc: WorkflowExport) {
  return asWorkflow((await api().POST("/api/v1/workflows/import", { body: doc })).data);
}

/** The newest versions kept of a workflow (50), newest first. */
export async function listWorkflowVersions(workflowId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/workflows/{id}/versions", {
    ...byId(workflowId),
    signal,
  });
  return asWorkflowVersionPage(data);
}

export async function getWorkflowVersion(
  workflowId: string,
  version: number,
  signal?: AbortSignal,
) {
  const { data } = await api().GET("/api/v1/workflows/{id}/versions/{version}", {
    params: { path: { id: workflowId, version: String(version) } },
    signal,
  });
  return asWorkflowVersion(data);
}

/** Makes "version" the workflow's definition again, as a new version ("current": the
 * workflow's version now; 409 when it changed). */
export async function restoreWorkflowVersion(workflowId: string, version: number, current: number) {
  const { data } = await api().POST("/api/v1/workflows/{id}/versions/{version}/restore", {
    params: { path: { id: workflowId, version: String(version) } },
    body: { version: current },
  });
  return asWorkflow(data);
}

/* ---- executions ---- */

export async function startExecution(workflowId: string, inputs: JsonObject) {
  const { data } = await api().POST("/api/v1/workflows/{id}/executions", {
    ...byId(workflowId),
    body: { inputs },
  });
  return asExecution(data);
}

export async function listExecutions(
  filters: ExecutionFilters & Omit<PageQuery, "q">,
  signal?: AbortSignal,
) {
  const query = {
    ...pageQuery(filters),
    workflow_id: filters.workflow_id,
    status: filters.status,
    trigger: filters.trigger,
    parent: filters.parent,
    replay_of: filters.replay_of,
  };
  const { data } = await api().GET("/api/v1/executions", { params: { query }, signal });
  return asPage(asExecution, "Execution")(data);
}

export async function getExecution(executionId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/executions/{id}", { ...byId(executionId), signal });
  return asExecutionWithSteps(data);
}

/** The runs node "node" of execution "executionId" started, a page after item "after". */
export async function getExecutionChildren(
  executionId: string,
  node: string,
  query: { after?: number; status?: ExecutionStatus; limit?: number },
  signal?: AbortSignal,
): Promise<ExecutionChildren> {
  const { data } = await api().GET("/api/v1/executions/{id}/children", {
    params: { path: { id: executionId }, query: { node, ...query } },
    signal,
  });
  return data as ExecutionChildren;
}

export async function cancelExecution(executionId: string): Promise<void> {
  await api().POST("/api/v1/executions/{id}/cancel", byId(executionId));
}

/** DELETE /executions/{id}: an ended execution, its steps and the runs it started. */
export async function deleteExecution(executionId: string): Promise<void> {
  await api().DELETE("/api/v1/executions/{id}", byId(executionId));
}

/** POST /executions/delete: a bounded batch of the ended executions matching "filters". */
export async function deleteExecutions(filters: ExecutionDelete): Promise<ExecutionsDeleted> {
  const { data } = await api().POST("/api/v1/executions/delete", { body: filters });
  return data ?? { deleted: 0, more: false };
}

export async function retryExecution(executionId: string) {
  const { data } = await api().POST("/api/v1/executions/{id}/retry", byId(executionId));
  return data === undefined ? null : asExecution(data);
}

/** POST /executions/{id}/replay: a replay of an ended run ({}: exact); the queued execution. */
export async function replayExecution(executionId: string, body: ReplayRequest) {
  const { definition, ...rest } = body;
  const { data } = await api().POST("/api/v1/executions/{id}/replay", {
    ...byId(executionId),
    // The document leaves the definition free (an object of any members).
    body: definition !== undefined ? { ...rest, definition: { ...definition } } : rest,
  });
  return asExecution(data);
}

/** GET /executions/{id}/replay-diff: each node of a replay beside the original's. */
export async function getReplayDiff(executionId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/executions/{id}/replay-diff", {
    ...byId(executionId),
    signal,
  });
  return asReplayDiff(data);
}

/* ---- approvals ---- */

/** GET /approvals: the pending requests the signed-in user may answer, newest first. */
export async function listApprovals(query: Omit<PageQuery, "q">, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/approvals", {
    params: { query: { cursor: query.cursor || undefined, limit: query.limit } },
    signal,
  });
  return asPage(asApproval, "Approval")(data);
}

/** GET /approvals/count: how many the signed-in user may answer now. */
export async function countApprovals(signal?: AbortSignal): Promise<number> {
  const { data } = await api().GET("/api/v1/approvals/count", { signal });
  return typeof data?.count === "number" ? data.count : 0;
}

/** GET /executions/{id}/approvals: a run's requests with their answers. */
export async function listExecutionApprovals(executionId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/executions/{id}/approvals", {
    ...byId(executionId),
    signal,
  });
  return asItems(asApproval, "Approval")(data);
}

/** POST /executions/{id}/approvals/{node}: approve or reject; the run goes on. */
export async function answerApproval(executionId: string, nodeId: string, body: ApprovalAnswer) {
  const { data } = await api().POST("/api/v1/executions/{id}/approvals/{node}", {
    params: { path: { id: executionId, node: nodeId } },
    body,
  });
  return asApproval(data);
}

/* ---- triggers: webhooks ---- */

export async function listWebhooks(workflowId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/workflows/{id}/webhooks", {
    ...byId(workflowId),
    signal,
  });
  return asItems(asWebhook, "Webhook")(data);
}

export async function createWebhook(workflowId: string, body: WebhookCreate) {
  const { data } = await api().POST("/api/v1/workflows/{id}/webhooks", {
    ...byId(workflowId),
    body,
  });
  return asWebhook(data);
}

export async function updateWebhook(webhookId: string, body: WebhookPatch) {
  const { data } = await api().PATCH("/api/v1/webhooks/{id}", { ...byId(webhookId), body });
  return asWebhook(data);
}

/** POST /webhooks/{id}/rotate: a new token (URL), a new secret, or both. */
export async function rotateWebhook(webhookId: string, body: WebhookRotate) {
  const { data } = await api().POST("/api/v1/webhooks/{id}/rotate", { ...byId(webhookId), body });
  return asWebhook(data);
}

export async function deleteWebhook(webhookId: string): Promise<void> {
  await api().DELETE("/api/v1/webhooks/{id}", byId(webhookId));
}

/* ---- triggers: schedules ---- */

export async function listSchedules(workflowId: string, signal?: AbortSignal) {
  const { data } = await api().GET("/api/v1/workflows/{id}/schedules", {
    ...byId(workflowId),
    signal,
  });
  return asItems(asSchedule, "Schedule")(data);
}

export async function createSchedule(workflowId: string, body: ScheduleCreate) {
  const { data } = await api().POST("/api/v1/workflows/{id}/schedules", {
    ...byId(workflowId),
    body,
  });
  return asSchedule(data);
}

export async function updateSchedule(scheduleId: string, body: SchedulePatch) {
  const { data } = await api().PATCH("/api/v1/schedules/{id}", { ...byId(scheduleId), body });
  return asSchedule(data);
}

export async function deleteSchedule(scheduleId: string): Promise<void> {
  await api().DELETE("/api/v1/schedules/{id}", byId(scheduleId));
}

/** POST /schedules/preview: the expression in words and its next fires, or a 422 naming the field. */
export async function previewSchedule(body: SchedulePreview, signal?: AbortSignal) {
  const { data } = await api().POST("/api/v1/schedules/preview", { body, signal });
  return asScheduleExplained(data);
}

/* ---- catalogues ---- */

export async function listNodeTypes(signal?: AbortSignal) {
  return asList(asNodeType, "NodeTypes")((await api().GET("/api/v1/node-types", { signal })).data);
}

export async function listTools(signal?: AbortSignal) {
  return asList(asTool, "Tools")((await api().GET("/api/v1/tools", { signal })).data);
}

export async function listProviders(signal?: AbortSignal) {
  return asList(asProvider, "Providers")((await api().GET("/api/v1/providers", { signal })).data);
}
